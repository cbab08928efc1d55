//! The working directory's state: dirstate v1 and v2, file matchers and
//! `.hgignore`, and the parallel status walk.
