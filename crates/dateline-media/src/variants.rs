//! Smaller copies of a photo for `srcset`, so a phone does not download the full picture.
//! Each is a JPEG beside the original, named `<stem>-w<width>.jpg`.

use image::imageops::FilterType;
use image::ImageReader;
use std::io::Cursor;

/// Widths offered to browsers, smallest first; only those narrower than the original exist.
pub const VARIANT_WIDTHS: [u32; 4] = [320, 640, 960, 1280];

/// The variant widths that exist for a photo `width` pixels wide.
pub fn variant_widths(width: u32) -> Vec<u32> {
    VARIANT_WIDTHS.iter().copied().filter(|w| *w < width).collect()
}

/// Where the variant of `key` at `width` is kept.
pub fn variant_key(key: &str, width: u32) -> String {
    let stem = key.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(key);
    format!("{stem}-w{width}.jpg")
}

/// Makes every variant of an image: `(width, JPEG bytes)`.
pub fn make_variants(bytes: &[u8]) -> Result<Vec<(u32, Vec<u8>)>, image::ImageError> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    // Made upright: the smaller sizes carry no metadata, so no orientation to turn them by.
    let orientation = match reader.format() {
        Some(image::ImageFormat::Jpeg) => crate::metadata::kept_facts(bytes, crate::ImageFormat::Jpeg).orientation,
        Some(image::ImageFormat::Png) => crate::metadata::kept_facts(bytes, crate::ImageFormat::Png).orientation,
        Some(image::ImageFormat::WebP) => crate::metadata::kept_facts(bytes, crate::ImageFormat::WebP).orientation,
        _ => None,
    };
    let picture = crate::metadata::upright(reader.decode()?, orientation);
    let mut out = Vec::new();
    for width in variant_widths(picture.width()) {
        let height = (u64::from(picture.height()) * u64::from(width) / u64::from(picture.width())).max(1) as u32;
        // Flatten any transparency: JPEG has none, and news photos need none.
        let smaller =
            image::DynamicImage::ImageRgb8(picture.resize_exact(width, height, FilterType::Triangle).to_rgb8());
        let mut encoded = Vec::new();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut encoded, 78);
        smaller.write_with_encoder(encoder)?;
        out.push((width, encoded));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_made_only_below_the_original_width() {
        assert_eq!(variant_widths(1200), [320, 640, 960]);
        assert_eq!(variant_widths(300), Vec::<u32>::new());
        assert_eq!(variant_key("2026/11/abc.png", 640), "2026/11/abc-w640.jpg");
        let picture = image::RgbImage::from_pixel(1000, 500, image::Rgb([10, 20, 30]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(picture)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("encode");
        let variants = make_variants(&png).expect("variants");
        assert_eq!(variants.iter().map(|(w, _)| *w).collect::<Vec<_>>(), [320, 640, 960]);
        let small = image::load_from_memory(&variants[0].1).expect("decode");
        assert_eq!((small.width(), small.height()), (320, 160));
    }
}
