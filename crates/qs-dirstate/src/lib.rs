//! The working-directory state (dirstate v1 / v2).
