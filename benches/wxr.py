#!/usr/bin/env python3
"""Writes a WordPress export (WXR 1.2) of N posts shaped like a real paper's, for the import
benchmark (benches/import.sh): nested categories, tags, authors and Co-Authors Plus guest
authors, block-editor and classic-editor bodies whose lengths follow a news archive's spread
(most stories 300 to 900 words, briefs and long reads at either end), a featured image on most
posts and an image in some bodies, all taken from a local uploads folder it fills with PNG
files. Invented text only; the same seed gives the same file.

    python3 benches/wxr.py POSTS OUT.xml UPLOADS_DIR [PHOTOS]
"""
import os, random, struct, sys, zlib

posts, out, uploads = int(sys.argv[1]), sys.argv[2], sys.argv[3]
photos = int(sys.argv[4]) if len(sys.argv) > 4 else max(10, posts // 20)
rng = random.Random(2026)
WORDS = ("harbour council ferry budget storm market school bridge road tide minister vote season "
         "fishermen mayor station library museum hospital river festival league match coach players "
         "court judge police fire crew rescue weather rain wind farmers prices wages rent housing "
         "plan report survey residents shops square port cargo ship crane workers union talks").split()

def png(path, shade):
    width, height = 320, 200
    rows = b"".join(b"\x00" + bytes(v for x in range(width) for v in ((x + shade) % 256, (y * 2) % 256, shade))
                    for y in range(height))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b"")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)

def words(n):
    return " ".join(rng.choice(WORDS) for _ in range(n))

def paragraphs(total):
    out, left = [], total
    while left > 0:
        n = min(left, rng.randint(25, 70))
        out.append(words(n).capitalize() + ".")
        left -= n
    return out

def length():
    # A news archive: lognormal around 550 words, from briefs to long reads.
    return max(60, min(4000, int(rng.lognormvariate(6.3, 0.55))))

def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"

site = "https://bench-paper.example"
top = [f"desk-{i}" for i in range(10)]
subs = [(f"{t}-beat-{j}", t) for t in top for j in range(3)]
tags = [f"tag-{i}" for i in range(200)]
authors = [f"reporter{i}" for i in range(50)]
with open(out, "w", encoding="utf-8") as f:
    w = f.write
    w('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
      'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
      'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Bench Paper</title>\n'
      f'<link>{site}</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n<wp:base_site_url>{site}</wp:base_site_url>\n')
    for i, login in enumerate(authors):
        w(f"<wp:author><wp:author_id>{i + 2}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
          f"<wp:author_display_name>{cdata(f'Reporter Number {i}')}</wp:author_display_name></wp:author>\n")
    for t in top:
        w(f"<wp:category><wp:category_nicename>{cdata(t)}</wp:category_nicename><wp:category_parent>{cdata('')}</wp:category_parent>"
          f"<wp:cat_name>{cdata(t.replace('-', ' ').title())}</wp:cat_name></wp:category>\n")
    for s, parent in subs:
        w(f"<wp:category><wp:category_nicename>{cdata(s)}</wp:category_nicename><wp:category_parent>{cdata(parent)}</wp:category_parent>"
          f"<wp:cat_name>{cdata(s.replace('-', ' ').title())}</wp:cat_name></wp:category>\n")
    for t in tags:
        w(f"<wp:tag><wp:tag_slug>{cdata(t)}</wp:tag_slug><wp:tag_name>{cdata(t.replace('-', ' ').title())}</wp:tag_name></wp:tag>\n")
    for p in range(photos):
        year, month = 2010 + p % 15, 1 + p % 12
        rel = f"{year}/{month:02d}/photo-{p}.png"
        png(os.path.join(uploads, rel), p % 256)
        w(f"<item><title>{cdata(f'Photo {p}')}</title><dc:creator>{cdata(authors[p % 50])}</dc:creator>"
          f"<content:encoded>{cdata('')}</content:encoded><excerpt:encoded>{cdata(words(12).capitalize() + '.')}</excerpt:encoded>"
          f"<wp:post_id>{1000000 + p}</wp:post_id><wp:post_date_gmt>{cdata(f'{year}-{month:02d}-01 00:00:00')}</wp:post_date_gmt>"
          f"<wp:post_name>{cdata(f'photo-{p}')}</wp:post_name><wp:status>{cdata('inherit')}</wp:status>"
          f"<wp:post_type>{cdata('attachment')}</wp:post_type><wp:attachment_url>{cdata(f'{site}/wp-content/uploads/{rel}')}</wp:attachment_url>"
          f"<wp:postmeta><wp:meta_key>{cdata('_wp_attachment_image_alt')}</wp:meta_key><wp:meta_value>{cdata(words(6))}</wp:meta_value></wp:postmeta>"
          f"<wp:postmeta><wp:meta_key>{cdata('_media_credit')}</wp:meta_key><wp:meta_value>{cdata('Bench Paper')}</wp:meta_value></wp:postmeta></item>\n")
    for n in range(posts):
        pid = n + 1
        year, month, day = 2005 + n * 20 // max(posts, 1), 1 + n % 12, 1 + n % 28
        title = words(rng.randint(6, 12)).capitalize()
        slug = f"story-{pid}"
        paras = paragraphs(length())
        if n % 3 == 0:
            body = "\n\n".join(paras)
        else:
            body = "\n\n".join(f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->" for p in paras)
        photo = rng.randrange(photos)
        if n % 7 == 0:
            year_p, month_p = 2010 + photo % 15, 1 + photo % 12
            body += (f'\n\n<!-- wp:image -->\n<figure class="wp-block-image"><img src="{site}/wp-content/uploads/{year_p}/{month_p:02d}/photo-{photo}.png" '
                     f'alt="{words(5)}"/><figcaption>{words(10)}</figcaption></figure>\n<!-- /wp:image -->')
        category = rng.choice(subs)[0] if n % 4 else rng.choice(top)
        terms = f'<category domain="category" nicename="{category}">{cdata(category)}</category>'
        for t in rng.sample(tags, rng.randint(0, 4)):
            terms += f'<category domain="post_tag" nicename="{t}">{cdata(t)}</category>'
        meta = "" if n % 5 == 0 else (f"<wp:postmeta><wp:meta_key>{cdata('_thumbnail_id')}</wp:meta_key>"
                                     f"<wp:meta_value>{cdata(str(1000000 + photo))}</wp:meta_value></wp:postmeta>")
        status = "draft" if n % 50 == 0 else "publish"
        w(f"<item><title>{cdata(title)}</title><link>{site}/{year}/{month:02d}/{day:02d}/{slug}/</link>"
          f"<dc:creator>{cdata(rng.choice(authors))}</dc:creator><guid isPermaLink=\"false\">{site}/?p={pid}</guid>"
          f"<content:encoded>{cdata(body)}</content:encoded><excerpt:encoded>{cdata(words(20).capitalize() + '.')}</excerpt:encoded>"
          f"<wp:post_id>{pid}</wp:post_id><wp:post_date_gmt>{cdata(f'{year}-{month:02d}-{day:02d} 08:00:00')}</wp:post_date_gmt>"
          f"<wp:post_modified_gmt>{cdata(f'{year}-{month:02d}-{day:02d} 09:00:00')}</wp:post_modified_gmt>"
          f"<wp:post_name>{cdata(slug)}</wp:post_name><wp:status>{cdata(status)}</wp:status>"
          f"<wp:post_type>{cdata('post')}</wp:post_type>{terms}{meta}</item>\n")
    w("</channel>\n</rss>\n")
