//! Photos and episode audio: checking an upload is the image or sound it claims to be,
//! making the smaller sizes a reader's screen asks for (`srcset`), and keeping the files in
//! blob storage (a local folder, or an S3-compatible bucket that several instances share).
//! It knows nothing of the database or HTTP.

pub mod audio;
mod blobs;
pub mod credentials;
pub mod crops;
pub mod embedded;
mod inspect;
pub mod metadata;
mod variants;
pub mod video;
mod work;

pub use blobs::{is_plain_key, new_key, BlobError, Blobs, LocalBlobs, ObjectBlobs, S3Settings};
pub use crops::{Crop, Focus};
pub use inspect::{inspect, ImageFormat, InspectedImage, UploadError, UploadLimits, MAX_SIDE};
pub use variants::{
    copies, copy_keys, make_variants, recorded_formats, variant_key, variant_widths, CopyPlan, Variant, VariantFormat,
    VARIANT_WIDTHS,
};
pub use work::ImageWork;
