//! Mercurial's small languages — revsets, templates, filesets — as grammars
//! (tables) handed to one Pratt parser engine.
