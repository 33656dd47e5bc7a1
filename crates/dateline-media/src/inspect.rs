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
    TooManyPixels { width: u32, height: u32, max: u32 },
}

/// The largest side accepted, so that decoding an upload cannot exhaust memory.
pub const MAX_SIDE: u32 = 12_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectedImage {
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
}

/// Checks an upload. `claimed_mime` is the type the browser sent; an empty one is not held
/// against the file, but a wrong one is.
pub fn inspect(bytes: &[u8], claimed_mime: &str, limit: u64) -> Result<InspectedImage, UploadError> {
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
        return Err(UploadError::TooManyPixels { width, height, max: MAX_SIDE });
    }
    if !ends_where_its_format_ends(format, bytes) {
        return Err(UploadError::Damaged);
    }
    // Decode it all: a file cut short has a good header and a broken body.
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 * 1024 * 1024);
    let mut reader = ImageReader::with_format(
        Cursor::new(bytes),
        image::ImageFormat::from_mime_type(format.mime_type()).ok_or(UploadError::NotAnImage)?,
    );
    reader.limits(limits);
    reader.decode().map_err(|_| UploadError::Damaged)?;
    Ok(InspectedImage { format, width, height })
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
            let found = inspect(&encoded(format), mime, 1_000_000).expect(mime);
            assert_eq!((found.width, found.height, found.format.mime_type()), (64, 48, mime));
        }
    }

    #[test]
    fn anything_else_is_refused_with_a_reason() {
        let png = encoded(image::ImageFormat::Png);
        assert_eq!(inspect(&[], "image/png", 10), Err(UploadError::Empty));
        assert_eq!(inspect(&png, "image/png", 10), Err(UploadError::TooLarge { size: png.len() as u64, limit: 10 }));
        assert_eq!(inspect(b"%PDF-1.7 not a picture", "image/png", 1_000), Err(UploadError::NotAnImage));
        assert_eq!(
            inspect(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml", 1_000),
            Err(UploadError::NotAnImage)
        );
        assert!(matches!(inspect(&png, "image/jpeg", 1_000_000), Err(UploadError::TypeMismatch { .. })));
        let jpeg = encoded(image::ImageFormat::Jpeg);
        assert_eq!(inspect(&jpeg[..jpeg.len() / 2], "image/jpeg", 1_000_000), Err(UploadError::Damaged));
        assert_eq!(inspect(&png[..png.len() - 20], "image/png", 1_000_000), Err(UploadError::Damaged));
        for (format, mime) in [
            (image::ImageFormat::Jpeg, "image/jpeg"),
            (image::ImageFormat::Gif, "image/gif"),
            (image::ImageFormat::WebP, "image/webp"),
        ] {
            let whole = encoded(format);
            for cut in [whole.len() * 2 / 3, whole.len() - 1] {
                assert_eq!(inspect(&whole[..cut], mime, 1_000_000), Err(UploadError::Damaged), "{mime} cut at {cut}");
            }
        }
    }
}
