//! The web crate's integration tests, one binary: the reader site, the desk, the caches, the wire and the API through HTTP, on both databases.
//!
//! One binary per crate keeps build and link time down (docs/TESTING.md).

mod budget;
mod content_api;
mod content_credentials;
mod desk;
mod desk_answers;
mod desk_pages_valid;
mod discovery;
mod fronts;
mod kept_copy;
mod live;
mod many_instances;
mod metrics;
mod module_layers;
mod moving_in;
mod newsletters;
mod object_media;
mod page_cache;
mod photo_crops;
mod photo_picker;
mod photo_privacy;
mod photos;
mod podcasts;
mod reader_site;
mod search;
mod story_list_bulk;
mod syndication;
mod video;
mod webhooks;
mod wire_ingest;
mod write_api;
