//! Refusing what is not a whole image of an allowed kind: the bytes must decode completely as
//! the format their first bytes announce, that format must match the type the uploader
//! claims, and the file must fit the size limit.

use image::ImageReader;
use std::io::Cursor;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Jpeg,
    Png,
    WebP,
    Gif,
}

impl ImageFormat {
    pub fn mime_type(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::WebP => "image/webp",
            ImageFormat::Gif => "image/gif",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Png => "png",
            ImageFormat::WebP => "webp",
            ImageFormat::Gif => "gif",
        }
    }

    fn from_image(format: image::ImageFormat) -> Option<Self> {
        match format {
            image::ImageFormat::Jpeg => Some(ImageFormat::Jpeg),
            image::ImageFormat::Png => Some(ImageFormat::Png),
            image::ImageFormat::WebP => Some(ImageFormat::WebP),
            image::ImageFormat::Gif => Some(ImageFormat::Gif),
            _ => None,
        }
    }

    fn from_mime(mime: &str) -> Option<Self> {
        match mime.trim().to_ascii_lowercase().as_str() {
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(ImageFormat::Jpeg),
            "image/png" => Some(ImageFormat::Png),
            "image/webp" => Some(ImageFormat::WebP),
            "image/gif" => Some(ImageFormat::Gif),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes; the limit is {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("only JPEG, PNG, WebP and GIF images are accepted, and this file is none of them")]
    NotAnImage,
    #[error("the file says it is {claimed} but its content is {actual}")]
    TypeMismatch { claimed: String, actual: &'static str },
    #[error("the image is damaged or cut short and cannot be read")]
    Damaged,
    #[error("the image is {width}×{height} pixels; the largest accepted is {max}×{max}")]
    TooWide { width: u32, height: u32, max: u32 },
    #[error("the image is {width}×{height} pixels, more than the {max_megapixels} megapixels accepted")]
    TooManyPixels { width: u32, height: u32, max_megapixels: u64 },
    #[error("{0}; save it again from a photo editor")]
    Metadata(String),
}

/// What an upload may be, set by the operator (`[uploads]` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    /// The largest file, in bytes.
    pub max_bytes: u64,
    /// The most pixels (width × height, as the file's header declares them). Decoding takes
    /// four bytes a pixel, so this bounds the memory one upload can cost before any decode.
    pub max_pixels: u64,
}

impl UploadLimits {
    /// 50 megapixels: the largest news camera's frame, and 200 MB at most to decode.
    pub const DEFAULT_MAX_PIXELS: u64 = 50_000_000;
}

/// The largest side accepted, so that decoding an upload cannot exhaust memory.
pub const MAX_SIDE: u32 = 12_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectedImage {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    /// Its Content Credentials, as read by [`crate::ImageWork::inspect`] (absent from
    /// [`inspect`] alone).
    pub credentials: crate::credentials::Credentials,
}

/// Checks an upload. `claimed_mime` is the type the browser sent; an empty one is not held
/// against the file, but a wrong one is.
pub fn inspect(bytes: &[u8], claimed_mime: &str, limits: UploadLimits) -> Result<InspectedImage, UploadError> {
    let limit = limits.max_bytes;
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    let size = bytes.len() as u64;
    if size > limit {
        return Err(UploadError::TooLarge { size, limit });
    }
    let format = image::guess_format(bytes).ok().and_then(ImageFormat::from_image).ok_or(UploadError::NotAnImage)?;
    let claimed = claimed_mime.trim();
    if !claimed.is_empty() && claimed != "application/octet-stream" && ImageFormat::from_mime(claimed) != Some(format) {
        return Err(UploadError::TypeMismatch { claimed: claimed.to_owned(), actual: format.mime_type() });
    }
    let reader = ImageReader::with_format(
        Cursor::new(bytes),
        image::ImageFormat::from_mime_type(format.mime_type()).ok_or(UploadError::NotAnImage)?,
    );
    let (width, height) = reader.into_dimensions().map_err(|_| UploadError::Damaged)?;
    if width > MAX_SIDE || height > MAX_SIDE || width == 0 || height == 0 {
        return Err(UploadError::TooWide { width, height, max: MAX_SIDE });
    }
    // Read from the header alone: nothing has been decoded yet.
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels {
        return Err(UploadError::TooManyPixels { width, height, max_megapixels: limits.max_pixels / 1_000_000 });
    }
    if !ends_where_its_format_ends(format, bytes) {
        return Err(UploadError::Damaged);
    }
    // Decode it all: a file cut short has a good header and a broken body. A JPEG is read
    // through every block at an eighth of its size (the codec's own scaling): each block is
    // still decoded, so damage is still found, without a 24-megapixel frame in memory for
    // each upload of a burst. What that decoder cannot read goes through `image` below.
    if format == ImageFormat::Jpeg && reads_through_at_an_eighth(bytes) {
        return Ok(InspectedImage { format, width, height, credentials: crate::credentials::Credentials::Absent });
    }
    let mut decode_limits = image::Limits::default();
    // Four bytes a pixel for the picture, and as much again for a decoder's working frame.
    decode_limits.max_alloc = Some(pixels.saturating_mul(8).max(16 * 1024 * 1024));
    let mut reader = ImageReader::with_format(
        Cursor::new(bytes),
        image::ImageFormat::from_mime_type(format.mime_type()).ok_or(UploadError::NotAnImage)?,
    );
    reader.limits(decode_limits);
    reader.decode().map_err(|_| UploadError::Damaged)?;
    Ok(InspectedImage { format, width, height, credentials: crate::credentials::Credentials::Absent })
}

/// Whether a JPEG decodes through every block at an eighth of its size.
fn reads_through_at_an_eighth(bytes: &[u8]) -> bool {
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.read_info().is_ok() && decoder.scale(1, 1).is_ok() && decoder.decode().is_ok()
}

/// Whether the file reaches the end its format requires. Some decoders fill a cut-short JPEG
/// with grey instead of failing, so the end marker is checked on its own.
fn ends_where_its_format_ends(format: ImageFormat, bytes: &[u8]) -> bool {
    let tail_end = bytes.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    let tail = &bytes[tail_end.saturating_sub(64)..tail_end];
    match format {
        // End Of Image marker, perhaps followed by a little padding.
        ImageFormat::Jpeg => tail.windows(2).any(|w| w == [0xFF, 0xD9]),
        // The IEND chunk closes every PNG.
        ImageFormat::Png => tail.windows(4).any(|w| w == b"IEND"),
        // The trailer byte closes every GIF.
        ImageFormat::Gif => tail.last() == Some(&0x3B),
        // RIFF's size field counts every byte after the first eight.
        ImageFormat::WebP => {
            bytes.len() >= 12
                && u64::from(u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]])) + 8 <= bytes.len() as u64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb};

    fn limits(max_bytes: u64) -> UploadLimits {
        UploadLimits { max_bytes, max_pixels: UploadLimits::DEFAULT_MAX_PIXELS }
    }

    fn encoded(format: image::ImageFormat) -> Vec<u8> {
        let picture: ImageBuffer<Rgb<u8>, Vec<u8>> =
            ImageBuffer::from_fn(64, 48, |x, y| Rgb([x as u8 * 4, y as u8 * 5, 90]));
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgb8(picture).write_to(&mut Cursor::new(&mut bytes), format).expect("encode");
        bytes
    }

    #[test]
    fn each_allowed_format_is_accepted_with_its_size() {
        for (format, mime) in [
            (image::ImageFormat::Jpeg, "image/jpeg"),
            (image::ImageFormat::Png, "image/png"),
            (image::ImageFormat::WebP, "image/webp"),
            (image::ImageFormat::Gif, "image/gif"),
        ] {
            let found = inspect(&encoded(format), mime, limits(1_000_000)).expect(mime);
            assert_eq!((found.width, found.height, found.format.mime_type()), (64, 48, mime));
        }
    }

    #[test]
    fn anything_else_is_refused_with_a_reason() {
        let png = encoded(image::ImageFormat::Png);
        assert_eq!(inspect(&[], "image/png", limits(10)), Err(UploadError::Empty));
        assert_eq!(
            inspect(&png, "image/png", limits(10)),
            Err(UploadError::TooLarge { size: png.len() as u64, limit: 10 })
        );
        assert_eq!(inspect(b"%PDF-1.7 not a picture", "image/png", limits(1_000)), Err(UploadError::NotAnImage));
        assert_eq!(
            inspect(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml", limits(1_000)),
            Err(UploadError::NotAnImage)
        );
        assert!(matches!(inspect(&png, "image/jpeg", limits(1_000_000)), Err(UploadError::TypeMismatch { .. })));
        let jpeg = encoded(image::ImageFormat::Jpeg);
        assert_eq!(inspect(&jpeg[..jpeg.len() / 2], "image/jpeg", limits(1_000_000)), Err(UploadError::Damaged));
        assert_eq!(inspect(&png[..png.len() - 20], "image/png", limits(1_000_000)), Err(UploadError::Damaged));
        for (format, mime) in [
            (image::ImageFormat::Jpeg, "image/jpeg"),
            (image::ImageFormat::Gif, "image/gif"),
            (image::ImageFormat::WebP, "image/webp"),
        ] {
            let whole = encoded(format);
            for cut in [whole.len() * 2 / 3, whole.len() - 1] {
                assert_eq!(
                    inspect(&whole[..cut], mime, limits(1_000_000)),
                    Err(UploadError::Damaged),
                    "{mime} cut at {cut}"
                );
            }
        }
    }

    /// A whole GIF of a few dozen bytes whose logical screen is `side` × `side`: one 1×1 frame.
    fn gif_declaring_a_screen_of(side: u16) -> Vec<u8> {
        let mut gif = b"GIF89a".to_vec();
        gif.extend(side.to_le_bytes());
        gif.extend(side.to_le_bytes());
        gif.extend([0x80, 0, 0]); // a global colour table of two colours
        gif.extend([0, 0, 0, 255, 255, 255]);
        gif.extend([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]); // one 1×1 image at the origin
        gif.extend([2, 2, 0x4C, 0x01, 0]); // its LZW data
        gif.push(0x3B);
        gif
    }

    #[test]
    fn a_small_file_declaring_a_huge_picture_is_refused_from_its_header_before_any_decode() {
        let bomb = gif_declaring_a_screen_of(11_000);
        assert!(bomb.len() < 40, "{} bytes", bomb.len());
        assert_eq!(
            inspect(&bomb, "image/gif", limits(1_000_000)),
            Err(UploadError::TooManyPixels { width: 11_000, height: 11_000, max_megapixels: 50 })
        );
        let tight = UploadLimits { max_bytes: 1_000_000, max_pixels: 100 };
        assert!(matches!(
            inspect(&gif_declaring_a_screen_of(11), "image/gif", tight),
            Err(UploadError::TooManyPixels { .. })
        ));
        let found = inspect(&gif_declaring_a_screen_of(10), "image/gif", tight).expect("a 10×10 GIF fits");
        assert_eq!((found.width, found.height), (10, 10));
    }
}
