//! The demo's pictures, drawn by `dateline-demo-pictures` (a crate of its own so that it is
//! optimised in debug builds too).

pub use dateline_demo_pictures::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_show_artwork_is_a_square_podcast_apps_take() {
        let bytes = draw_artwork_jpeg().expect("draw");
        let decoded = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg).expect("decodes");
        assert!(dateline_newsroom::podcasts::artwork_fits(decoded.width(), decoded.height()));
    }
}
