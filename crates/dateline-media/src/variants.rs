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

use crate::crops::{crop_box, crop_key, crop_sizes, Crop, Focus, CROPS_RECORDED};
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
    pub height: u32,
    pub format: VariantFormat,
    /// The crop it is, or `None` for a copy of the whole picture.
    pub crop: Option<Crop>,
    pub bytes: Vec<u8>,
}

impl Variant {
    /// Where it is kept, beside the original stored under `key` whose crops centre on `focus`.
    pub fn key(&self, key: &str, focus: Focus) -> String {
        match self.crop {
            None => variant_key(key, self.width, self.format),
            Some(crop) => crop_key(key, crop, focus, self.width, self.format),
        }
    }
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

/// Every file made from the original stored under `key` (a photo `width` × `height` whose crops
/// centre on `focus`) that `recorded` (what its row records) says exists: the smaller copies
/// in every format, then the crops.
pub fn copy_keys(key: &str, (width, height): (u32, u32), focus: Focus, recorded: &[String]) -> Vec<String> {
    let whole = VariantFormat::ALL.into_iter().flat_map(|format| copies(key, width, recorded, format));
    let cropped = Crop::ALL.into_iter().flat_map(|crop| {
        VariantFormat::ALL
            .into_iter()
            .flat_map(move |format| crate::crops::crop_copies(key, (width, height), focus, recorded, crop, format))
    });
    whole.map(|(_, key)| key).chain(cropped.map(|(_, _, key)| key)).collect()
}

/// What a photo's row records once every copy exists: each format in `formats`,
/// space-separated in one order, and its crops.
pub fn recorded_formats(formats: &[VariantFormat]) -> String {
    let mut recorded: Vec<&str> =
        VariantFormat::ALL.into_iter().filter(|f| formats.contains(f)).map(VariantFormat::name).collect();
    recorded.push(CROPS_RECORDED);
    recorded.join(" ")
}

/// Quality for each format, chosen so the three look alike on a news photo at its width:
/// AVIF and WebP reach JPEG's look in fewer bytes.
const JPEG_QUALITY: u8 = 78;
const WEBP_QUALITY: f32 = 74.0;
const AVIF_QUALITY: u8 = 58;
/// rav1e's speed (1 slowest, 10 fastest): the fastest, since copies are made on one core per
/// worker and even at this speed an AVIF copy is a fraction of the JPEG's size.
const AVIF_SPEED: u8 = 10;

/// Which copies one round of work makes of a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyPlan {
    /// The smaller copies of the whole picture (already made when only its focal point moved).
    pub whole: bool,
    /// The crops around this focal point, if they are to be made.
    pub crops: Option<Focus>,
}

/// The widest a working copy of the picture needs to be: the widest copy or crop made.
const WORKING_WIDTH: u32 = 1280;

/// A camera JPEG decoded straight at a fraction of its size (the codec's own scaling of its
/// blocks: a half, a quarter or an eighth), the smallest that still leaves the upright picture
/// at least [`WORKING_WIDTH`] wide, with the original's upright size. A 24-megapixel frame
/// then never exists in memory whole: a quarter of it is 4.5 MB of pixels, not 72 MB, which
/// is what bounds memory when a burst of uploads is being copied. `None` when the picture is
/// not that large, not a JPEG this decoder reads, or not in plain RGB or grey (CMYK and the
/// rest go the whole way through `image`).
fn scaled_jpeg(bytes: &[u8], orientation: Option<u16>) -> Option<(image::DynamicImage, (u32, u32))> {
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.read_info().ok()?;
    let info = decoder.info()?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    // Orientations 5 to 8 turn the picture a quarter: its upright width is the stored height.
    let turned = crate::metadata::turns_sideways(orientation);
    let (upright_width, upright_height) = if turned { (height, width) } else { (width, height) };
    if upright_width < 2 * WORKING_WIDTH || width == 0 || height == 0 {
        return None;
    }
    // Ask for the working width across the upright picture, and the height in proportion, so
    // that the scale chosen satisfies both.
    let across =
        |wanted: u32, of: u32, other: u32| (u64::from(wanted) * u64::from(other)).div_ceil(u64::from(of)) as u32;
    let (want_width, want_height) = if turned {
        (across(WORKING_WIDTH, height, width), WORKING_WIDTH)
    } else {
        (WORKING_WIDTH, across(WORKING_WIDTH, width, height))
    };
    decoder.scale(u16::try_from(want_width).ok()?, u16::try_from(want_height).ok()?).ok()?;
    let pixels = decoder.decode().ok()?;
    let info = decoder.info()?;
    let (scaled_width, scaled_height) = (u32::from(info.width), u32::from(info.height));
    let picture = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            image::DynamicImage::ImageRgb8(image::RgbImage::from_raw(scaled_width, scaled_height, pixels)?)
        }
        jpeg_decoder::PixelFormat::L8 => {
            image::DynamicImage::ImageLuma8(image::GrayImage::from_raw(scaled_width, scaled_height, pixels)?)
        }
        _ => return None,
    };
    let picture = crate::metadata::upright(picture, orientation);
    (picture.width() >= WORKING_WIDTH).then_some((picture, (upright_width, upright_height)))
}

/// Makes the smaller copies of an original in `formats`, and its crops, from one decode.
pub fn make_variants(
    bytes: &[u8],
    formats: &[VariantFormat],
    plan: CopyPlan,
) -> Result<Vec<Variant>, image::ImageError> {
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
    let (picture, (full_width, full_height)) = match scaled_jpeg(bytes, orientation) {
        Some(scaled) => scaled,
        None => {
            let picture = crate::metadata::upright(reader.decode()?, orientation);
            let size = (picture.width(), picture.height());
            (picture, size)
        }
    };
    let height_at = |width: u32| (u64::from(full_height) * u64::from(width) / u64::from(full_width)).max(1) as u32;
    // Everything is drawn from one working copy no wider than the widest file made: a camera
    // frame is resized once, and its decoded pixels freed before the rest are made.
    // Flatten any transparency: JPEG has none, and news photos need none.
    let working = if full_width > WORKING_WIDTH {
        picture.resize_exact(WORKING_WIDTH, height_at(WORKING_WIDTH), FilterType::Triangle).to_rgb8()
    } else {
        picture.to_rgb8()
    };
    drop(picture);
    let mut out = Vec::new();
    if plan.whole {
        for width in variant_widths(full_width) {
            let height = height_at(width);
            let smaller = if width == working.width() {
                working.clone()
            } else {
                image::imageops::resize(&working, width, height, FilterType::Triangle)
            };
            for format in formats {
                let encoded = encode(&smaller, *format, &rights)?;
                out.push(Variant { width, height, format: *format, crop: None, bytes: encoded });
            }
        }
    }
    if let Some(focus) = plan.crops {
        // The box is worked out on the original's size (as pages name the files) and taken
        // from the working copy at its scale.
        let scale = |value: u32, of: u32, to: u32| (u64::from(value) * u64::from(to) / u64::from(of.max(1))) as u32;
        for crop in Crop::ALL {
            let (left, top, width, height) = crop_box(full_width, full_height, crop, focus);
            let (left, top) = (scale(left, full_width, working.width()), scale(top, full_height, working.height()));
            let width = scale(width, full_width, working.width()).clamp(1, working.width() - left);
            let height = scale(height, full_height, working.height()).clamp(1, working.height() - top);
            let region = image::imageops::crop_imm(&working, left, top, width, height).to_image();
            for (copy_width, copy_height) in crop_sizes(full_width, full_height, crop) {
                let sized = image::imageops::resize(&region, copy_width, copy_height, FilterType::Triangle);
                for format in formats.iter().copied().filter(|f| crop.made_in(*f)) {
                    let encoded = encode(&sized, format, &rights)?;
                    out.push(Variant {
                        width: copy_width,
                        height: copy_height,
                        format,
                        crop: Some(crop),
                        bytes: encoded,
                    });
                }
            }
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
        let whole_only = CopyPlan { whole: true, crops: None };
        let variants = make_variants(&png, &VariantFormat::ALL, whole_only).expect("variants");
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
    fn a_square_crop_around_a_focus_at_the_right_shows_the_right_of_the_picture() {
        // Red on the left two thirds, blue on the right third.
        let picture = image::RgbImage::from_fn(1500, 1000, |x, _| {
            if x < 1000 {
                image::Rgb([200, 0, 0])
            } else {
                image::Rgb([0, 0, 200])
            }
        });
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(picture)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("encode");
        let plan = CopyPlan { whole: false, crops: Some(Focus { x: 100, y: 50 }) };
        let crops = make_variants(&png, &[VariantFormat::Jpeg], plan).expect("crops");
        assert!(crops.iter().all(|c| c.crop.is_some()), "only crops were asked for");
        let square = crops.iter().find(|c| c.crop == Some(Crop::Square) && c.width == 320).expect("a 320 square");
        let decoded = image::load_from_memory(&square.bytes).expect("decodes").to_rgb8();
        assert_eq!(decoded.dimensions(), (320, 320));
        // The box is the right 1000 pixels: half red, half blue.
        let blue = decoded.pixels().filter(|p| p[2] > 150 && p[0] < 60).count();
        assert!((45_000..=57_000).contains(&blue), "about half of 102,400 pixels are blue, not {blue}");
        assert!(decoded.get_pixel(319, 160)[2] > 150 && decoded.get_pixel(0, 160)[0] > 150);
        let share = crops.iter().find(|c| c.crop == Some(Crop::Share)).expect("a share image");
        assert_eq!((share.width, share.height, share.format), (1200, 630, VariantFormat::Jpeg));
        assert_eq!(share.key("2026/12/a.png", Focus { x: 100, y: 50 }), "2026/12/a-cshare-f100x50-w1200.jpg");
    }

    /// A camera-sized JPEG, red on its left half and blue on its right, stored turned by
    /// `orientation` (none: as it stands).
    fn camera_jpeg(orientation: Option<u16>) -> Vec<u8> {
        let picture = image::RgbImage::from_fn(3000, 1600, |x, _| {
            if x < 1500 {
                image::Rgb([200, 0, 0])
            } else {
                image::Rgb([0, 0, 200])
            }
        });
        // Stored so that turning it by `orientation` stands it up as drawn: 6 turns a quarter
        // clockwise, so the file holds it a quarter anticlockwise.
        let stored = match orientation {
            Some(6) => image::DynamicImage::ImageRgb8(picture).rotate270(),
            _ => image::DynamicImage::ImageRgb8(picture),
        };
        let mut plain = Vec::new();
        stored.write_to(&mut Cursor::new(&mut plain), image::ImageFormat::Jpeg).expect("encode");
        let Some(orientation) = orientation else { return plain };
        let facts = crate::metadata::KeptFacts { orientation: Some(orientation), artist: None, copyright: None };
        let exif = crate::metadata::minimal_exif(&facts).expect("exif");
        let mut out = vec![0xFF, 0xD8];
        out.extend(crate::metadata::segment(0xE1, &exif).expect("segment"));
        out.extend(&plain[2..]);
        out
    }

    #[test]
    fn a_camera_jpeg_is_decoded_at_a_fraction_of_its_size_and_its_copies_are_the_same() {
        for orientation in [None, Some(6)] {
            let bytes = camera_jpeg(orientation);
            let (picture, size) = scaled_jpeg(&bytes, orientation).expect("decoded scaled");
            assert_eq!(size, (3000, 1600), "the original's upright size, whichever way it is stored");
            assert_eq!((picture.width(), picture.height()), (1500, 800), "a half is the least that leaves 1280");
            let copies =
                make_variants(&bytes, &[VariantFormat::Jpeg], CopyPlan { whole: true, crops: None }).expect("copies");
            let widths: Vec<u32> = copies.iter().map(|c| c.width).collect();
            assert_eq!(widths, [320, 640, 960, 1280]);
            let widest = image::load_from_memory(&copies[3].bytes).expect("decodes").to_rgb8();
            assert_eq!(widest.dimensions(), (1280, 682));
            assert!(widest.get_pixel(100, 300)[0] > 150 && widest.get_pixel(1180, 300)[2] > 150, "{orientation:?}");
        }
        // A picture narrower than twice the working width is decoded whole, as before.
        assert!(scaled_jpeg(
            &{
                let mut small = Vec::new();
                image::DynamicImage::ImageRgb8(image::RgbImage::new(2000, 1000))
                    .write_to(&mut Cursor::new(&mut small), image::ImageFormat::Jpeg)
                    .expect("encode");
                small
            },
            None
        )
        .is_none());
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
