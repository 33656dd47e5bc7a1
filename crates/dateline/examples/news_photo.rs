//! A camera-sized test photo for `benches/photos.sh`: a JPEG of WIDTH × HEIGHT pixels with
//! the gradients and grain of a real frame (flat colour would compress to nothing and flatter
//! every encoder).
//!
//! Usage: news_photo FILE [WIDTH HEIGHT] (6000 × 4000, 24 megapixels, by default).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let file = args.next().ok_or("give the file to write")?;
    let width: u32 = args.next().map_or(Ok(6000), |w| w.parse())?;
    let height: u32 = args.next().map_or(Ok(4000), |h| h.parse())?;
    let mut seed = 0x2545_f491_u32;
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        // xorshift grain over a sky-to-harbour gradient with a few hard edges.
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let grain = (seed % 24) as i32 - 12;
        let sky = y < height * 2 / 5;
        let base = if sky {
            [120 + (y * 80 / height) as i32, 150 + (x * 40 / width) as i32, 210]
        } else if (x / 300 + y / 200) % 7 == 0 {
            [200, 60, 40]
        } else {
            [40 + (x * 60 / width) as i32, 70, 90 + (y * 50 / height) as i32]
        };
        image::Rgb(base.map(|c| (c + grain).clamp(0, 255) as u8))
    });
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file)?);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90).encode_image(&picture)?;
    Ok(())
}
