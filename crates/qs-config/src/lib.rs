//! Layered hgrc configuration.
