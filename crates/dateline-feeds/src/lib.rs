//! What search engines, aggregators, feed readers and podcast apps read: RSS 2.0 and Atom
//! feeds, podcast feeds, sitemaps
//! (sitemaps.org and Google News), `robots.txt`, and schema.org JSON-LD. Pure functions from
//! plain values to text; no I/O, no database, no HTTP. Every string that goes into XML passes
//! through [`xml::escape`], which also drops the characters XML forbids.

pub mod feed;
pub mod jsonld;
pub mod podcast;
pub mod sitemap;
pub mod xml;

pub use feed::{atom, rss, FeedEnclosure, FeedEntry, FeedImage, FeedInfo};
pub use sitemap::{news_sitemap, robots_txt, sitemap_index, urlset, NewsEntry, SitemapEntry};
