//! Compression of revlog chunks for writing, with hg's rules: the
//! repository's engine (zstd when it has `revlog-compression-zstd`, else
//! zlib), inputs too small to gain are not tried (zlib under 44 bytes, zstd
//! under 50), and a result is kept only when it is smaller than the input.
//! Otherwise the chunk is stored as is: with a `u` marker, or bare when it
//! already starts with `\0` (which readers take as "raw").

use std::io::Write;

/// The engine and level used for new chunks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// zlib at `level` (0-9); `None` is zlib's default (6), as hg.
    Zlib { level: Option<u32> },
    /// zstd at `level` (hg's default is 3).
    Zstd { level: i32 },
    /// Never compress (hg's `none` engine, `revlog-compression-none`).
    None,
}

impl Default for Compression {
    fn default() -> Self {
        Compression::Zstd { level: 3 }
    }
}

/// zlib input below this size is stored uncompressed.
const ZLIB_MIN_INPUT: usize = 44;
/// zstd input below this size is stored uncompressed.
const ZSTD_MIN_INPUT: usize = 50;

/// The stored form of `data`: compressed when that helps, else raw.
pub fn compress(data: &[u8], engine: Compression) -> Vec<u8> {
    if data.is_empty() {
        return Vec::new();
    }
    if let Some(compressed) = try_compress(data, engine) {
        return compressed;
    }
    if data[0] == 0 {
        return data.to_vec();
    }
    let mut out = Vec::with_capacity(data.len() + 1);
    out.push(b'u');
    out.extend_from_slice(data);
    out
}

fn try_compress(data: &[u8], engine: Compression) -> Option<Vec<u8>> {
    let compressed = match engine {
        Compression::None => return None,
        Compression::Zlib { level } => {
            if data.len() < ZLIB_MIN_INPUT {
                return None;
            }
            let level = flate2::Compression::new(level.unwrap_or(6).min(9));
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::with_capacity(data.len() / 2 + 16), level);
            encoder.write_all(data).ok()?;
            encoder.finish().ok()?
        }
        Compression::Zstd { level } => {
            if data.len() < ZSTD_MIN_INPUT {
                return None;
            }
            zstd::bulk::compress(data, level).ok()?
        }
    };
    (compressed.len() < data.len()).then_some(compressed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::revlog::decompress_chunk;

    #[test]
    fn small_and_incompressible_data_is_stored_raw() {
        assert_eq!(compress(b"", Compression::default()), b"");
        assert_eq!(compress(b"short", Compression::default()), b"ushort");
        assert_eq!(compress(b"\0bin", Compression::default()), b"\0bin");
        let noise: Vec<u8> = (0..200u32).map(|i| (i * 7919 % 251) as u8 + 1).collect();
        let stored = compress(&noise, Compression::Zlib { level: None });
        assert_eq!(stored[0], b'u');
    }

    #[test]
    fn compressed_chunks_decompress() {
        let text = b"line of text\n".repeat(50);
        for engine in [
            Compression::Zlib { level: None },
            Compression::Zstd { level: 3 },
            Compression::None,
        ] {
            let stored = compress(&text, engine);
            let back = decompress_chunk(&stored, text.len()).expect("readable");
            assert_eq!(&*back, &text[..]);
        }
    }
}
