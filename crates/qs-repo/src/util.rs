//! Small helpers shared by the repository layer and its callers.

/// The C library's description of an I/O error, as Python prints it
/// (e.g. `No such file or directory`), without Rust's `(os error N)`.
pub fn strerror(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
