//! Smaller copies of a photo for `<picture>` and `srcset`, so a phone downloads a picture the
//! width of its screen in the most compact format it reads: AVIF, else WebP, else JPEG. Each
//! is a file beside the original, named `<stem>-w<width>.<ext>` (`.jpg`, `.webp`, `.avif`).
//!
//! They are made after the upload has answered (`dateline_intake::photo_variants` works
//! through the photos whose row lacks them, on the bounded image workers), so a photo is
//! usable at once: until its copies exist, pages offer the original alone.
//!
//! Every copy carries the rights and nothing else ([`crate::metadata::Rights`]): it is drawn
//! from decoded pixels, so no GPS position, serial number or thumbnail can ride along.

use crate::metadata::Rights;
use image::imageops::FilterType;
use image::ImageReader;
use std::io::Cursor;

/// Widths offered to browsers, smallest first; only those narrower than the original exist.
pub const VARIANT_WIDTHS: [u32; 4] = [320, 640, 960, 1280];

/// The formats a smaller copy is made in, most compact first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VariantFormat {
    Avif,
    Webp,
    Jpeg,
}

impl VariantFormat {
    /// Every format, in the order a `<picture>` offers them.
    pub const ALL: [VariantFormat; 3] = [VariantFormat::Avif, VariantFormat::Webp, VariantFormat::Jpeg];

    pub fn name(self) -> &'static str {
        match self {
            VariantFormat::Avif => "avif",
            VariantFormat::Webp => "webp",
            VariantFormat::Jpeg => "jpeg",
        }
    }

    pub fn parse(name: &str) -> Option<VariantFormat> {
        VariantFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn extension(self) -> &'static str {
        match self {
            VariantFormat::Avif => "avif",
            VariantFormat::Webp => "webp",
            VariantFormat::Jpeg => "jpg",
        }
    }

    pub fn mime_type(self) -> &'static str {
        match self {
            VariantFormat::Avif => "image/avif",
            VariantFormat::Webp => "image/webp",
            VariantFormat::Jpeg => "image/jpeg",
        }
    }
}

/// One smaller copy.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub format: VariantFormat,
    pub bytes: Vec<u8>,
}

/// The variant widths that exist for a photo `width` pixels wide.
pub fn variant_widths(width: u32) -> Vec<u32> {
    VARIANT_WIDTHS.iter().copied().filter(|w| *w < width).collect()
}

/// Where the variant of `key` at `width` in `format` is kept.
pub fn variant_key(key: &str, width: u32, format: VariantFormat) -> String {
    let stem = key.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(key);
    format!("{stem}-w{width}.{}", format.extension())
}

/// The smaller copies of a photo `width` pixels wide stored under `key` that exist in
/// `format`, as `(width, key)` narrowest first: none unless `recorded` (the formats its row
/// records) names the format.
pub fn copies(key: &str, width: u32, recorded: &[String], format: VariantFormat) -> Vec<(u32, String)> {
    if !recorded.iter().any(|f| f == format.name()) {
        return Vec::new();
    }
    variant_widths(width).into_iter().map(|w| (w, variant_key(key, w, format))).collect()
}

/// Every format in `formats`, space-separated in the one order a row records them.
pub fn recorded_formats(formats: &[VariantFormat]) -> String {
    VariantFormat::ALL
        .into_iter()
        .filter(|f| formats.contains(f))
        .map(VariantFormat::name)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Quality for each format, chosen so the three look alike on a news photo at its width:
/// AVIF and WebP reach JPEG's look in fewer bytes.
const JPEG_QUALITY: u8 = 78;
const WEBP_QUALITY: f32 = 74.0;
const AVIF_QUALITY: u8 = 58;
/// rav1e's speed (1 slowest, 10 fastest): the fastest, since copies are made on one core per
/// worker and even at this speed an AVIF copy is a fraction of the JPEG's size.
const AVIF_SPEED: u8 = 10;

/// Makes the smaller copies of an original in `formats`, from one decode.
pub fn make_variants(bytes: &[u8], formats: &[VariantFormat]) -> Result<Vec<Variant>, image::ImageError> {
    let reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let original_format = match reader.format() {
        Some(image::ImageFormat::Jpeg) => Some(crate::ImageFormat::Jpeg),
        Some(image::ImageFormat::Png) => Some(crate::ImageFormat::Png),
        Some(image::ImageFormat::WebP) => Some(crate::ImageFormat::WebP),
        _ => None,
    };
    let (orientation, rights) = match original_format {
        Some(format) => (crate::metadata::kept_facts(bytes, format).orientation, Rights::of(bytes, format)),
        None => (None, Rights::default()),
    };
    let picture = crate::metadata::upright(reader.decode()?, orientation);
    let (full_width, full_height) = (picture.width(), picture.height());
    let widths = variant_widths(full_width);
    let height_at = |width: u32| (u64::from(full_height) * u64::from(width) / u64::from(full_width)).max(1) as u32;
    // The widest copy is drawn from the original, and the narrower ones from it: a camera
    // frame is resized once, and its decoded pixels freed before the rest are made.
    // Flatten any transparency: JPEG has none, and news photos need none.
    let widest = match widths.last() {
        Some(&width) => picture.resize_exact(width, height_at(width), FilterType::Triangle).to_rgb8(),
        None => return Ok(Vec::new()),
    };
    drop(picture);
    let mut out = Vec::new();
    for width in widths {
        let height = height_at(width);
        let smaller = if width == widest.width() {
            widest.clone()
        } else {
            image::imageops::resize(&widest, width, height, FilterType::Triangle)
        };
        for format in formats {
            let encoded = encode(&smaller, *format, &rights)?;
            out.push(Variant { width, format: *format, bytes: encoded });
        }
    }
    Ok(out)
}

fn encode(picture: &image::RgbImage, format: VariantFormat, rights: &Rights) -> Result<Vec<u8>, image::ImageError> {
    use image::ImageEncoder;
    let (width, height) = picture.dimensions();
    let mut encoded = Vec::new();
    match format {
        VariantFormat::Jpeg => {
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut encoded, JPEG_QUALITY).write_image(
                picture.as_raw(),
                width,
                height,
                image::ExtendedColorType::Rgb8,
            )?;
            Ok(rights.into_jpeg(encoded))
        }
        VariantFormat::Webp => {
            let lossy = webp::Encoder::from_rgb(picture.as_raw(), width, height).encode(WEBP_QUALITY);
            Ok(rights.into_webp(lossy.to_vec(), width, height))
        }
        VariantFormat::Avif => {
            // One thread: the bounded image workers are the only parallelism image work gets.
            let mut encoder =
                image::codecs::avif::AvifEncoder::new_with_speed_quality(&mut encoded, AVIF_SPEED, AVIF_QUALITY)
                    .with_num_threads(Some(1));
            if let Some(tiff) = &rights.exif_tiff {
                // The encoder takes every EXIF it is given; the error type only mirrors the trait.
                let _ = encoder.set_exif_metadata(tiff.clone());
            }
            encoder.write_image(picture.as_raw(), width, height, image::ExtendedColorType::Rgb8)?;
            Ok(encoded)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_made_only_below_the_original_width_in_every_format_asked() {
        assert_eq!(variant_widths(1200), [320, 640, 960]);
        assert_eq!(variant_widths(300), Vec::<u32>::new());
        assert_eq!(variant_key("2026/11/abc.png", 640, VariantFormat::Jpeg), "2026/11/abc-w640.jpg");
        assert_eq!(variant_key("2026/11/abc.png", 640, VariantFormat::Avif), "2026/11/abc-w640.avif");
        let picture = image::RgbImage::from_fn(700, 350, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 30]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(picture)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("encode");
        let variants = make_variants(&png, &VariantFormat::ALL).expect("variants");
        let made: Vec<(u32, VariantFormat)> = variants.iter().map(|v| (v.width, v.format)).collect();
        assert_eq!(made.len(), 6, "two widths in three formats");
        assert!(made.contains(&(320, VariantFormat::Avif)) && made.contains(&(640, VariantFormat::Webp)));
        for variant in &variants {
            let format = match variant.format {
                VariantFormat::Avif => image::ImageFormat::Avif,
                VariantFormat::Webp => image::ImageFormat::WebP,
                VariantFormat::Jpeg => image::ImageFormat::Jpeg,
            };
            assert_eq!(image::guess_format(&variant.bytes).expect("a known format"), format);
            if variant.format != VariantFormat::Avif {
                let decoded = image::load_from_memory(&variant.bytes).expect("decodes");
                assert_eq!((decoded.width(), decoded.height()), (variant.width, variant.width / 2));
            }
        }
    }

    #[test]
    fn a_copy_keeps_the_rights_of_its_original_and_nothing_else() {
        let picture = image::RgbImage::from_pixel(800, 600, image::Rgb([90, 120, 150]));
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageRgb8(picture)
            .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .expect("encode");
        let rights = Rights {
            exif_tiff: Some(b"MM\0\x2a\0\0\0\x08\0\0\0\0\0\0".to_vec()),
            iptc_app13: Some(b"Photoshop 3.0\0".to_vec()),
        };
        let with = rights.into_jpeg(jpeg.clone());
        let (segments, _) = crate::metadata::jpeg_segments(&with).expect("segments");
        assert!(segments.iter().any(|(m, p)| *m == 0xE1 && p.starts_with(b"Exif\0\0")));
        assert!(segments.iter().any(|(m, p)| *m == 0xED && p.starts_with(b"Photoshop 3.0\0")));
        assert!(image::load_from_memory(&with).is_ok(), "still a JPEG");
        let lossy = webp::Encoder::from_rgb(&[1u8; 3 * 16 * 8], 16, 8).encode(70.0).to_vec();
        let extended = rights.into_webp(lossy, 16, 8);
        assert_eq!(&extended[12..16], b"VP8X");
        assert!(extended.windows(4).any(|w| w == b"EXIF"));
        let decoded = image::load_from_memory(&extended).expect("still a WebP");
        assert_eq!((decoded.width(), decoded.height()), (16, 8));
    }
}
