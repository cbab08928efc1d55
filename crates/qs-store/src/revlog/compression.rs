//! Decompression of revlog chunks, dispatched on the chunk's first byte.
//!
//! `\0`: stored as is (the byte is part of the data); `u`: uncompressed, the
//! `u` is dropped; `x`: a zlib stream; `(` (0x28): a zstd frame; an empty
//! chunk is empty data. Decompressed output is capped by the caller (from
//! the sizes in the index) so a hostile chunk cannot exhaust memory.

use std::borrow::Cow;
use std::io::Read;

/// First byte of a zstd frame (its magic number is `28 b5 2f fd`).
const ZSTD_MAGIC_FIRST: u8 = 0x28;

/// Decompresses `chunk`, failing if the result would exceed `cap` bytes.
/// Raw chunks are returned borrowed. The error is a human-readable reason.
pub fn decompress(chunk: &[u8], cap: usize) -> Result<Cow<'_, [u8]>, String> {
    let Some(&header) = chunk.first() else {
        return Ok(Cow::Borrowed(&[]));
    };
    let data = match header {
        b'\0' => Cow::Borrowed(chunk),
        b'u' => Cow::Borrowed(&chunk[1..]),
        b'x' => Cow::Owned(read_capped(
            flate2::bufread::ZlibDecoder::new(chunk),
            chunk.len(),
            cap,
            "zlib",
        )?),
        ZSTD_MAGIC_FIRST => Cow::Owned(zstd_decompress(chunk, cap)?),
        other => return Err(format!("unknown compression type 0x{other:02x}")),
    };
    if data.len() > cap {
        return Err(format!(
            "chunk holds {} bytes, more than the {cap} the index allows",
            data.len()
        ));
    }
    Ok(data)
}

thread_local! {
    /// One zstd decompression context per thread: creating a context costs
    /// far more than decompressing a typical chunk.
    static ZSTD_CONTEXT: std::cell::RefCell<Option<zstd::zstd_safe::DCtx<'static>>> =
        const { std::cell::RefCell::new(None) };
}

/// Frames declaring at most this many bytes are decompressed in one call
/// whatever their compressed length.
const ONE_SHOT_MIN: usize = 1 << 20;

/// Beyond [`ONE_SHOT_MIN`], the largest expansion (declared size over
/// compressed length) trusted enough to reserve the declared size.
const ONE_SHOT_RATIO: usize = 64;

/// Decompresses one zstd frame with this thread's reusable context.
fn zstd_decompress(chunk: &[u8], cap: usize) -> Result<Vec<u8>, String> {
    ZSTD_CONTEXT.with(|cell| {
        let mut slot = cell
            .try_borrow_mut()
            .map_err(|_| "zstd context busy".to_string())?;
        let context = match slot.as_mut() {
            Some(c) => c,
            None => slot.insert(
                zstd::zstd_safe::DCtx::try_create().ok_or("zstd: cannot create a context")?,
            ),
        };
        context
            .reset(zstd::zstd_safe::ResetDirective::SessionOnly)
            .map_err(|code| format!("zstd: {}", zstd::zstd_safe::get_error_name(code)))?;
        // Frames written by hg record their content size: decompress in
        // one call into a buffer of exactly that size (several times
        // faster than streaming for the small chunks revlogs hold). The
        // size comes from the file, so the buffer is only reserved up
        // front when it is plausible for the chunk's length; anything
        // else is streamed, growing with the data actually produced.
        let one_shot_limit = ONE_SHOT_MIN.max(chunk.len().saturating_mul(ONE_SHOT_RATIO));
        if let Ok(Some(size)) = zstd::zstd_safe::get_frame_content_size(chunk) {
            let size = usize::try_from(size).unwrap_or(usize::MAX);
            if size > cap {
                return Err(format!(
                    "zstd chunk decompresses to more than the {cap} bytes the index allows"
                ));
            }
            if size > one_shot_limit {
                let decoder =
                    zstd::stream::read::Decoder::with_context(chunk, context).single_frame();
                return read_capped(decoder, chunk.len(), cap, "zstd");
            }
            let mut out = Vec::with_capacity(size);
            context.decompress(&mut out, chunk).map_err(|code| {
                format!(
                    "zstd decompression failed: {}",
                    zstd::zstd_safe::get_error_name(code)
                )
            })?;
            if out.len() != size {
                return Err("zstd decompression failed: frame shorter than its header says".into());
            }
            return Ok(out);
        }
        let decoder = zstd::stream::read::Decoder::with_context(chunk, context).single_frame();
        read_capped(decoder, chunk.len(), cap, "zstd")
    })
}

/// Reads a decoder to its end, refusing more than `cap` bytes. The buffer
/// grows with the data actually produced, not with `cap`.
fn read_capped(
    decoder: impl Read,
    compressed_len: usize,
    cap: usize,
    what: &str,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(cap.min(compressed_len.saturating_mul(4)));
    let limit = (cap as u64).saturating_add(1);
    decoder
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|e| format!("{what} decompression failed: {e}"))?;
    if out.len() > cap {
        return Err(format!(
            "{what} chunk decompresses to more than the {cap} bytes the index allows"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data).expect("write to Vec");
        enc.finish().expect("finish to Vec")
    }

    #[test]
    fn decodes_every_header() {
        assert_eq!(decompress(b"", 0).as_deref(), Ok(&b""[..]));
        assert_eq!(decompress(b"\0abc", 10).as_deref(), Ok(&b"\0abc"[..]));
        assert_eq!(decompress(b"uabc", 10).as_deref(), Ok(&b"abc"[..]));
        let z = zlib(b"hello hello hello");
        assert_eq!(z[0], b'x');
        assert_eq!(
            decompress(&z, 100).as_deref(),
            Ok(&b"hello hello hello"[..])
        );
        let zs = zstd::bulk::compress(b"zstd data zstd data", 3).expect("zstd");
        assert_eq!(zs[0], ZSTD_MAGIC_FIRST);
        assert_eq!(
            decompress(&zs, 100).as_deref(),
            Ok(&b"zstd data zstd data"[..])
        );
        assert!(decompress(b"qabc", 10).is_err());
    }

    #[test]
    fn frames_without_a_content_size_are_streamed() {
        let data = b"no content size in this frame ".repeat(20);
        let mut compressor = zstd::bulk::Compressor::new(3).expect("compressor");
        compressor
            .set_parameter(zstd::zstd_safe::CParameter::ContentSizeFlag(false))
            .expect("parameter");
        let frame = compressor.compress(&data).expect("compress");
        assert!(
            matches!(zstd::zstd_safe::get_frame_content_size(&frame), Ok(None)),
            "the frame must not record its size"
        );
        assert_eq!(decompress(&frame, data.len()).as_deref(), Ok(&data[..]));
        assert!(decompress(&frame, data.len() - 1).is_err());
    }

    #[test]
    fn implausible_declared_sizes_are_streamed() {
        // 4 MiB of zeros compress to a few hundred bytes: past the one-shot
        // limit, so the frame is streamed, with the same result.
        let big = vec![0u8; 4 << 20];
        let zs = zstd::bulk::compress(&big, 3).expect("zstd");
        assert!(zs.len() * ONE_SHOT_RATIO < big.len());
        assert_eq!(decompress(&zs, big.len()).as_deref(), Ok(&big[..]));
        assert!(decompress(&zs, big.len() - 1).is_err());
    }

    #[test]
    fn enforces_the_cap() {
        let big = vec![b'a'; 10_000];
        assert!(decompress(&zlib(&big), 9_999).is_err());
        assert!(decompress(&zlib(&big), 10_000).is_ok());
        let zs = zstd::bulk::compress(&big, 3).expect("zstd");
        assert!(decompress(&zs, 100).is_err());
        assert!(decompress(b"uabcdef", 3).is_err());
    }

    proptest! {
        #[test]
        fn random_chunks_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256),
                                     header in prop::sample::select(vec![0u8, b'u', b'x', 0x28, b'q'])) {
            let mut chunk = vec![header];
            chunk.extend_from_slice(&bytes);
            let _ = decompress(&chunk, 1 << 16);
            let mut zstd_like = vec![0x28, 0xb5, 0x2f, 0xfd];
            zstd_like.extend_from_slice(&bytes);
            let _ = decompress(&zstd_like, 1 << 16);
        }

        #[test]
        fn compressed_round_trips(data in proptest::collection::vec(any::<u8>(), 0..512)) {
            let z = zlib(&data);
            let unz = decompress(&z, data.len()).expect("zlib").into_owned();
            prop_assert_eq!(unz, data.clone());
            let zs = zstd::bulk::compress(&data, 1).expect("zstd");
            let unzs = decompress(&zs, data.len()).expect("zstd").into_owned();
            prop_assert_eq!(unzs, data);
        }
    }
}
