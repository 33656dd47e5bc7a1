//! Pictures the demo paper draws itself, so it ships no image files from anywhere: a sky, a sun
//! and layered hills in one of a few palettes, encoded as JPEG. They are the size and detail
//! of an agency photo (2400 pixels wide, with film grain, ridges of trees and furrowed fields,
//! about a megabyte), not a smooth gradient of a few kilobytes, so the pages' weight and the
//! background copies are measured against what a newsroom really uploads.

use image::{ImageBuffer, Rgb};

pub const WIDTH: u32 = 2400;
pub const HEIGHT: u32 = 1350;

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

fn mix(a: [u8; 3], b: [u8; 3], t: f32) -> [f32; 3] {
    let channel = |i: usize| f32::from(a[i]) * (1.0 - t) + f32::from(b[i]) * t;
    [channel(0), channel(1), channel(2)]
}

/// A repeatable pseudo-random number in -1..1 for a pixel: the grain and texture of a photo
/// (integer hashing, cheap even in a debug build).
fn grain(x: u32, y: u32, seed: u32) -> f32 {
    let mut h = x.wrapping_mul(374_761_393) ^ y.wrapping_mul(668_265_263) ^ seed.wrapping_mul(2_246_822_519);
    h = (h ^ (h >> 13)).wrapping_mul(1_274_126_177);
    f32::from(((h ^ (h >> 16)) & 0xffff) as u16) / 32_768.0 - 1.0
}

fn pixel(colour: [f32; 3], shade: f32) -> Rgb<u8> {
    let channel = |c: f32| (c + shade).round().clamp(0.0, 255.0) as u8;
    Rgb([channel(colour[0]), channel(colour[1]), channel(colour[2])])
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
    // The ridges per column: a broad shape, then hills, then tree tops a few pixels high.
    let ridges: Vec<(f32, f32)> = (0..WIDTH)
        .map(|x| {
            let fx = x as f32 / w;
            let trees = 0.006 * (fx * 610.0 + shift * 9.0).sin().abs() + 0.004 * grain(x, 0, variant);
            let far_ridge = h * (0.58 + 0.06 * (fx * 6.3 + shift * 4.0).sin() + 0.015 * (fx * 37.0).sin() - trees);
            let near_ridge =
                h * (0.72 + 0.05 * (fx * 9.1 + 1.7 + shift * 2.0).cos() + 0.01 * (fx * 53.0).cos() - trees);
            (far_ridge, near_ridge)
        })
        .collect();
    let picture = ImageBuffer::from_fn(WIDTH, HEIGHT, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let (far_ridge, near_ridge) = ridges[x as usize];
        let noise = grain(x, y, variant);
        if fy > near_ridge {
            // Furrowed fields running towards the viewer, darker to the bottom edge.
            let furrow = ((fx - w * 0.5) / (fy - near_ridge + 40.0) * 9.0).sin() * 10.0;
            pixel(mix(near, [0, 0, 0], ((fy - near_ridge) / h).min(0.5)), furrow + noise * 18.0)
        } else if fy > far_ridge {
            // Woods: a dappled canopy.
            let canopy = ((fx * 0.35).sin() * (fy * 0.5).cos()) * 12.0;
            let depth = ((fy - far_ridge) / (near_ridge - far_ridge).max(1.0)) * 0.3;
            pixel(mix(far, near, depth), canopy + noise * 14.0)
        } else {
            let distance = ((fx - sun_x).powi(2) + (fy - sun_y).powi(2)).sqrt();
            if distance < sun_r {
                pixel([f32::from(sun[0]), f32::from(sun[1]), f32::from(sun[2])], noise * 2.0)
            } else {
                let sky = mix(sky_top, sky_bottom, fy / far_ridge.max(1.0));
                let glow = (1.0 - (distance - sun_r) / (w * 0.35)).clamp(0.0, 1.0) * 0.35;
                let sky = [sky[0].round() as u8, sky[1].round() as u8, sky[2].round() as u8];
                // Thin cloud streaks and the sensor's grain.
                let cloud = ((fy * 0.045 + (fx * 0.004).sin() * 3.0).sin() * 0.5 + 0.5).powi(8) * 22.0;
                pixel(mix(sky, sun, glow), cloud + noise * 4.0)
            }
        }
    });
    let mut bytes = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85);
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
        let background = pixel(mix(sky_top, sky_bottom, fy / side), 0.0);
        if distance < side * 0.06 {
            return Rgb(sun);
        }
        // Rings every tenth of the side, fading outwards.
        let ring = (distance / (side * 0.1)).fract();
        let fade = (1.0 - distance / (side * 0.55)).clamp(0.0, 1.0);
        if ring < 0.12 {
            pixel(mix(background.0, sun, 0.8 * fade), 0.0)
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
    fn a_drawn_picture_is_a_jpeg_of_the_stated_size_and_weight() {
        let bytes = draw_jpeg("harbour", 3).expect("draw");
        let decoded = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg).expect("decodes");
        assert_eq!((decoded.width(), decoded.height()), (WIDTH, HEIGHT));
        // As heavy as an agency's photo: the pages must get their weight down by themselves.
        assert!((400_000..3_000_000).contains(&bytes.len()), "an agency-sized photo: {} bytes", bytes.len());
    }
}
