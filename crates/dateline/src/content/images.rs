//! Pictures the demo draws itself, so it ships no image files from anywhere: a sky, a sun
//! and layered hills in one of a few palettes, encoded as JPEG.

use image::{ImageBuffer, Rgb};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 675;

/// `(sky top, sky bottom, sun, near ground, far ground)`.
fn palette(name: &str) -> [[u8; 3]; 5] {
    match name {
        "dawn" => [[38, 52, 110], [247, 171, 120], [255, 236, 170], [60, 48, 70], [110, 80, 100]],
        "harbour" => [[120, 170, 210], [220, 235, 245], [255, 250, 220], [30, 70, 110], [70, 110, 150]],
        "forest" => [[150, 200, 220], [230, 240, 220], [255, 245, 200], [30, 80, 40], [70, 120, 70]],
        "stadium" => [[20, 30, 60], [70, 90, 140], [250, 250, 230], [40, 130, 60], [25, 90, 45]],
        "night" => [[5, 10, 30], [40, 50, 90], [230, 230, 250], [15, 20, 35], [35, 40, 70]],
        "autumn" => [[140, 180, 220], [250, 220, 170], [255, 230, 180], [150, 70, 30], [200, 120, 50]],
        "market" => [[200, 120, 90], [250, 210, 150], [255, 240, 200], [120, 50, 40], [170, 90, 60]],
        _ => [[90, 90, 110], [200, 200, 210], [255, 255, 240], [60, 60, 70], [120, 120, 130]],
    }
}

fn mix(a: [u8; 3], b: [u8; 3], t: f32) -> Rgb<u8> {
    let channel = |i: usize| (f32::from(a[i]) * (1.0 - t) + f32::from(b[i]) * t).round() as u8;
    Rgb([channel(0), channel(1), channel(2)])
}

/// Draws the picture for `palette_name`; `variant` moves the sun and the hills so that two
/// stories with one palette still get different pictures.
pub fn draw_jpeg(palette_name: &str, variant: u32) -> anyhow::Result<Vec<u8>> {
    let [sky_top, sky_bottom, sun, near, far] = palette(palette_name);
    let (w, h) = (WIDTH as f32, HEIGHT as f32);
    let shift = (variant % 7) as f32 / 7.0;
    let sun_x = w * (0.2 + 0.6 * shift);
    let sun_y = h * 0.38;
    let sun_r = h * 0.09;
    let picture = ImageBuffer::from_fn(WIDTH, HEIGHT, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let far_ridge = h * (0.58 + 0.06 * ((fx / w) * 6.3 + shift * 4.0).sin());
        let near_ridge = h * (0.72 + 0.05 * ((fx / w) * 9.1 + 1.7 + shift * 2.0).cos());
        if fy > near_ridge {
            mix(near, [0, 0, 0], ((fy - near_ridge) / h).min(0.5))
        } else if fy > far_ridge {
            mix(far, near, ((fy - far_ridge) / (near_ridge - far_ridge).max(1.0)) * 0.3)
        } else {
            let distance = ((fx - sun_x).powi(2) + (fy - sun_y).powi(2)).sqrt();
            if distance < sun_r {
                Rgb(sun)
            } else {
                let sky = mix(sky_top, sky_bottom, fy / far_ridge.max(1.0));
                let glow = (1.0 - (distance - sun_r) / (w * 0.35)).clamp(0.0, 1.0) * 0.35;
                mix(sky.0, sun, glow)
            }
        }
    });
    let mut bytes = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 72);
    picture.write_with_encoder(encoder)?;
    Ok(bytes)
}

/// The side of the podcast show's square artwork: the smallest Apple Podcasts takes.
pub const ARTWORK_SIDE: u32 = 1400;

/// A show's square artwork: rings of sound spreading from a dot on a dusk gradient.
pub fn draw_artwork_jpeg() -> anyhow::Result<Vec<u8>> {
    let [sky_top, sky_bottom, sun, ..] = palette("dawn");
    let side = ARTWORK_SIDE as f32;
    let centre = side * 0.5;
    let picture = ImageBuffer::from_fn(ARTWORK_SIDE, ARTWORK_SIDE, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let distance = ((fx - centre).powi(2) + (fy - centre).powi(2)).sqrt();
        let background = mix(sky_top, sky_bottom, fy / side);
        if distance < side * 0.06 {
            return Rgb(sun);
        }
        // Rings every tenth of the side, fading outwards.
        let ring = (distance / (side * 0.1)).fract();
        let fade = (1.0 - distance / (side * 0.55)).clamp(0.0, 1.0);
        if ring < 0.12 {
            mix(background.0, sun, 0.8 * fade)
        } else {
            background
        }
    });
    let mut bytes = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 80);
    picture.write_with_encoder(encoder)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_show_artwork_is_a_square_podcast_apps_take() {
        let bytes = draw_artwork_jpeg().expect("draw");
        let decoded = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg).expect("decodes");
        assert!(dateline_newsroom::podcasts::artwork_fits(decoded.width(), decoded.height()));
    }

    #[test]
    fn a_drawn_picture_is_a_jpeg_of_the_stated_size() {
        let bytes = draw_jpeg("harbour", 3).expect("draw");
        let decoded = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg).expect("decodes");
        assert_eq!((decoded.width(), decoded.height()), (WIDTH, HEIGHT));
        assert!(bytes.len() < 150_000, "a lead photo should stay light: {} bytes", bytes.len());
    }
}
