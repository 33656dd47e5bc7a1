//! Crops of a photo around the point an editor chose (its focal point): the shapes a theme
//! lays photos out in (16:9 for a front's lead, 4:3 for the grid, 1:1 for thumbnails) and the
//! 1200 × 630 image that social networks show when a story is shared.
//!
//! A crop is the largest box of its shape inside the upright picture, centred on the focal
//! point and moved inwards where it would cross an edge, so a face at the far right of a
//! landscape frame stays in a square thumbnail. The boxes and their sizes are worked out from
//! the photo's size and focal point alone, so pages can name the files without reading them;
//! the files are made in the background with the smaller copies (`crate::make_variants`).
//!
//! A crop's file name carries the focal point (`<stem>-c16x9-f50x40-w640.avif`): moving the
//! point names new files, so no browser or CDN keeps showing the old crop.

use crate::VariantFormat;

/// What a photo's row records (beside its formats) once its crops exist for its current
/// focal point.
pub const CROPS_RECORDED: &str = "crops";

/// A point of the upright picture, in percent of its width (`x`, from the left) and height
/// (`y`, from the top); `(50, 50)` is the centre, which is where crops centre until an editor
/// chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Focus {
    pub x: u8,
    pub y: u8,
}

impl Focus {
    pub const CENTRE: Focus = Focus { x: 50, y: 50 };
}

/// A shape a photo is cropped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Crop {
    /// 16:9, for a front's lead and wide slots.
    Wide,
    /// 4:3, for a front's grid of stories.
    Standard,
    /// 1:1, for thumbnails beside a headline.
    Square,
    /// 1200 × 630 (about 1.9:1), the image a shared link shows; a JPEG only, which every
    /// network's crawler reads.
    Share,
}

impl Crop {
    pub const ALL: [Crop; 4] = [Crop::Wide, Crop::Standard, Crop::Square, Crop::Share];

    /// Width and height of the shape, in lowest terms.
    pub fn ratio(self) -> (u32, u32) {
        match self {
            Crop::Wide => (16, 9),
            Crop::Standard => (4, 3),
            Crop::Square => (1, 1),
            Crop::Share => (40, 21),
        }
    }

    /// The widths made, narrowest first: what the theme's slots need on a phone and on a
    /// wide screen at twice the pixel density, and no more (each is encoded in every format).
    fn widths(self) -> &'static [u32] {
        match self {
            Crop::Wide => &[320, 640, 960, 1280],
            Crop::Standard => &[320, 640],
            Crop::Square => &[160, 320],
            Crop::Share => &[1200],
        }
    }

    /// The name in file names: `16x9`, `4x3`, `1x1`, `share`.
    pub fn tag(self) -> &'static str {
        match self {
            Crop::Wide => "16x9",
            Crop::Standard => "4x3",
            Crop::Square => "1x1",
            Crop::Share => "share",
        }
    }

    /// Whether this crop is made in `format`.
    pub fn made_in(self, format: VariantFormat) -> bool {
        self != Crop::Share || format == VariantFormat::Jpeg
    }
}

/// The box `(left, top, width, height)` a crop takes of a picture `width` × `height`.
pub fn crop_box(width: u32, height: u32, crop: Crop, focus: Focus) -> (u32, u32, u32, u32) {
    let (across, down) = crop.ratio();
    let (width, height) = (width.max(1), height.max(1));
    // The widest box of the shape that fits: full height when the picture is wider than the
    // shape, else full width.
    let (box_width, box_height) = if u64::from(width) * u64::from(down) > u64::from(height) * u64::from(across) {
        ((u64::from(height) * u64::from(across) / u64::from(down)).max(1) as u32, height)
    } else {
        (width, (u64::from(width) * u64::from(down) / u64::from(across)).max(1) as u32)
    };
    let place = |size: u32, box_size: u32, percent: u8| -> u32 {
        let centre = u64::from(size) * u64::from(percent.min(100)) / 100;
        let start = centre.saturating_sub(u64::from(box_size) / 2);
        start.min(u64::from(size - box_size)) as u32
    };
    (place(width, box_width, focus.x), place(height, box_height, focus.y), box_width, box_height)
}

/// The sizes `(width, height)` a crop of a picture `width` × `height` is made in, narrowest
/// first: the crop's widths that its box holds without enlarging, or the box's own width when
/// it holds none of them.
pub fn crop_sizes(width: u32, height: u32, crop: Crop) -> Vec<(u32, u32)> {
    let (_, _, box_width, _) = crop_box(width, height, crop, Focus::CENTRE);
    let (across, down) = crop.ratio();
    let height_at = |w: u32| (u64::from(w) * u64::from(down) / u64::from(across)).max(1) as u32;
    let mut widths: Vec<u32> = crop.widths().iter().copied().filter(|w| *w <= box_width).collect();
    if widths.is_empty() {
        widths.push(box_width);
    }
    widths.into_iter().map(|w| (w, height_at(w))).collect()
}

/// Where the crop of `key` around `focus`, `width` pixels wide, in `format` is kept.
pub fn crop_key(key: &str, crop: Crop, focus: Focus, width: u32, format: VariantFormat) -> String {
    let stem = key.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(key);
    format!("{stem}-c{}-f{}x{}-w{width}.{}", crop.tag(), focus.x, focus.y, format.extension())
}

/// The files of one crop of a photo in `format` as `(width, height, key)`, narrowest first:
/// none unless `recorded` (what its row records) says its crops and that format exist.
pub fn crop_copies(
    key: &str,
    (width, height): (u32, u32),
    focus: Focus,
    recorded: &[String],
    crop: Crop,
    format: VariantFormat,
) -> Vec<(u32, u32, String)> {
    let has = |name: &str| recorded.iter().any(|f| f == name);
    if !has(CROPS_RECORDED) || !has(format.name()) || !crop.made_in(format) {
        return Vec::new();
    }
    crop_sizes(width, height, crop).into_iter().map(|(w, h)| (w, h, crop_key(key, crop, focus, w, format))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crop_is_the_widest_box_of_its_shape_centred_on_the_focus_and_kept_inside() {
        // A 3:2 landscape: 16:9 takes the full width, a square the full height.
        assert_eq!(crop_box(3000, 2000, Crop::Wide, Focus::CENTRE), (0, 157, 3000, 1687));
        assert_eq!(crop_box(3000, 2000, Crop::Square, Focus::CENTRE), (500, 0, 2000, 2000));
        // A face at the far right: the square moves right until it meets the edge.
        assert_eq!(crop_box(3000, 2000, Crop::Square, Focus { x: 95, y: 10 }), (1000, 0, 2000, 2000));
        assert_eq!(crop_box(3000, 2000, Crop::Square, Focus { x: 0, y: 0 }), (0, 0, 2000, 2000));
        // A portrait: every shape but the square is the full width.
        assert_eq!(crop_box(1000, 1500, Crop::Share, Focus { x: 50, y: 20 }), (0, 38, 1000, 525));
        assert_eq!(crop_box(1000, 1500, Crop::Standard, Focus { x: 50, y: 100 }), (0, 750, 1000, 750));
    }

    #[test]
    fn crops_are_made_only_at_widths_their_box_holds() {
        assert_eq!(crop_sizes(3000, 2000, Crop::Wide), [(320, 180), (640, 360), (960, 540), (1280, 720)]);
        assert_eq!(crop_sizes(3000, 2000, Crop::Share), [(1200, 630)]);
        assert_eq!(crop_sizes(800, 600, Crop::Share), [(800, 420)]);
        assert_eq!(crop_sizes(800, 600, Crop::Square), [(160, 160), (320, 320)]);
        assert_eq!(crop_sizes(300, 200, Crop::Wide), [(300, 168)]);
    }

    #[test]
    fn a_crops_files_exist_only_once_its_row_records_them_and_are_named_by_the_focus() {
        let recorded = |text: &str| text.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        let focus = Focus { x: 70, y: 30 };
        assert!(crop_copies(
            "2026/12/a.jpg",
            (3000, 2000),
            focus,
            &recorded("avif webp jpeg"),
            Crop::Wide,
            VariantFormat::Avif
        )
        .is_empty());
        let made = recorded("avif webp jpeg crops");
        let wide = crop_copies("2026/12/a.jpg", (3000, 2000), focus, &made, Crop::Wide, VariantFormat::Avif);
        assert_eq!(wide[0], (320, 180, "2026/12/a-c16x9-f70x30-w320.avif".to_owned()));
        assert!(crop_copies("2026/12/a.jpg", (3000, 2000), focus, &made, Crop::Share, VariantFormat::Webp).is_empty());
        assert_eq!(
            crop_copies("2026/12/a.jpg", (3000, 2000), focus, &made, Crop::Share, VariantFormat::Jpeg),
            [(1200, 630, "2026/12/a-cshare-f70x30-w1200.jpg".to_owned())]
        );
    }
}
