//! Content Credentials (C2PA): the signed record of where a photo came from, which agencies and
//! camera makers now embed in the file. This module reads and verifies one with the `c2pa`
//! crate (the coalition's own implementation) and says, in the desk's terms, who signed it and
//! whether the file still agrees with the signature.
//!
//! A signer is believed only when its certificate chains to one of the paper's trust anchors
//! (`uploads.content_credentials_trust`, a PEM file): anyone can make a certificate that says
//! "Reuters", so a signature that checks out from an unknown signer is reported to the desk as
//! such and never shown to readers. Nothing is fetched from the network (no remote manifests,
//! no OCSP): a file is judged by what it carries.
//!
//! Reading happens on the upload's bounded image thread, before private metadata is stripped
//! (the stored copy no longer carries the manifest, and no copy served to readers ever would
//! match it: every one is resized).

use std::io::Cursor;

/// What the paper believes about signers: the PEM text of the roots it trusts (possibly none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustAnchors {
    pem: String,
}

impl TrustAnchors {
    /// Anchors from the text of a PEM file: at least one certificate, or a sentence saying
    /// what is wrong.
    pub fn from_pem(pem: &str) -> Result<TrustAnchors, String> {
        let certificates = pem.matches("-----BEGIN CERTIFICATE-----").count();
        if certificates == 0 {
            return Err("the trust anchors file holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into());
        }
        Ok(TrustAnchors { pem: pem.to_owned() })
    }

    pub fn is_empty(&self) -> bool {
        self.pem.is_empty()
    }
}

/// What was found of Content Credentials in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// The file carries none (most photos today).
    Absent,
    /// A manifest was read and checked.
    Read(CredentialsReading),
    /// The file carries something that claims to be a manifest, but it cannot be read; the
    /// text says why, for the desk.
    Unreadable(String),
}

/// A checked manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsReading {
    /// Who signed it: the signing certificate's common name (or its organisation).
    pub signer: String,
    /// The organisation the signing certificate names.
    pub organisation: String,
    /// When it was signed, as the signature says (RFC 3339), when it says.
    pub signed_at: Option<String>,
    /// What made the file (the claim generator: a camera, an agency's system, an editor).
    pub made_with: String,
    pub verdict: Verdict,
    /// Each check that failed, as the C2PA code and its explanation.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The signature is good, the file is as signed, and the signer chains to a trust anchor.
    Trusted,
    /// The signature is good and the file is as signed, but the signer is not one the paper
    /// trusts.
    UnknownSigner,
    /// The file was changed after it was signed, or the signature does not check out.
    DoesNotMatch,
}

const UNTRUSTED: &str = "signingCredential.untrusted";

/// Reads and checks the Content Credentials `bytes` carry, judged against `trust`.
pub fn read_credentials(bytes: &[u8], mime_type: &str, trust: &TrustAnchors) -> Credentials {
    if !might_carry_a_manifest(bytes) {
        return Credentials::Absent;
    }
    // The crate is careful, but a crafted file is exactly what it is given here: a panic in it
    // must cost this reading, not the upload.
    let read = std::panic::catch_unwind(|| read_checked(bytes, mime_type, trust));
    match read {
        Ok(found) => found,
        Err(_) => Credentials::Unreadable("the Content Credentials could not be read (the reader stopped)".into()),
    }
}

/// Whether the bytes hold a JUMBF box and the `c2pa` label a manifest store is filed under: a
/// quick look that spares the great majority of photos the full parse (both patterns meeting
/// by chance in a photo's compressed data is far rarer than one).
fn might_carry_a_manifest(bytes: &[u8]) -> bool {
    let holds = |pattern: &[u8]| memchr::memmem::find(bytes, pattern).is_some();
    holds(b"jumb") && holds(b"c2pa")
}

/// What made the signed file, as its claim names it: each generator with its version.
fn made_with(manifest: &c2pa::Manifest) -> String {
    let generators: Vec<String> = manifest
        .claim_generator_info
        .iter()
        .flatten()
        .map(|info| match &info.version {
            Some(version) => format!("{} {version}", info.name),
            None => info.name.clone(),
        })
        .collect();
    if generators.is_empty() {
        manifest.claim_generator().unwrap_or_default().to_owned()
    } else {
        generators.join(", ")
    }
}

fn read_checked(bytes: &[u8], mime_type: &str, trust: &TrustAnchors) -> Credentials {
    let settings = serde_json::json!({
        "verify": {
            "verify_trust": !trust.is_empty(),
            "ocsp_fetch": false,
            "remote_manifest_fetch": false,
        },
        "trust": { "user_anchors": (!trust.is_empty()).then(|| trust.pem.clone()) },
    });
    let context = match c2pa::Context::new().with_settings(settings.to_string().as_str()) {
        Ok(context) => context,
        Err(error) => return Credentials::Unreadable(format!("the trust anchors could not be used: {error}")),
    };
    let reader = match c2pa::Reader::from_context(context).with_stream(mime_type, Cursor::new(bytes)) {
        Ok(reader) => reader,
        // The boxes are there but the crate finds no store in them: broken, or crafted.
        Err(c2pa::Error::JumbfNotFound) => {
            return Credentials::Unreadable(
                "the Content Credentials could not be read: the file carries C2PA boxes that hold no manifest store"
                    .into(),
            )
        }
        Err(error) => return Credentials::Unreadable(format!("the Content Credentials could not be read: {error}")),
    };
    let Some(manifest) = reader.active_manifest() else {
        return Credentials::Unreadable("the Content Credentials name no active manifest".into());
    };
    let signature = manifest.signature_info();
    let failures: Vec<&c2pa::validation_status::ValidationStatus> = reader
        .validation_results()
        .and_then(|results| results.active_manifest())
        .map(|codes| codes.failure().iter().collect())
        .unwrap_or_default();
    let untrusted = failures.iter().any(|status| status.code() == UNTRUSTED);
    let problems: Vec<String> = failures
        .iter()
        .filter(|status| status.code() != UNTRUSTED)
        .map(|status| match status.explanation() {
            Some(explanation) => format!("{}: {explanation}", status.code()),
            None => status.code().to_owned(),
        })
        .collect();
    let verdict = if !problems.is_empty() {
        Verdict::DoesNotMatch
    } else if untrusted || trust.is_empty() {
        Verdict::UnknownSigner
    } else {
        Verdict::Trusted
    };
    Credentials::Read(CredentialsReading {
        signer: signature
            .and_then(|s| s.common_name.clone().or_else(|| s.issuer.clone()))
            .unwrap_or_else(|| "an unnamed signer".into()),
        // The crate's `issuer` is the signing certificate's organisation, not its issuer's.
        organisation: signature.and_then(|s| s.issuer.clone()).unwrap_or_default(),
        signed_at: signature.and_then(|s| s.time.clone()),
        made_with: made_with(manifest),
        verdict,
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain_jpeg() -> Vec<u8> {
        let picture = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([(x * 4) as u8, (y * 5) as u8, 90]));
        let mut bytes = Vec::new();
        image::DynamicImage::ImageRgb8(picture)
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Jpeg)
            .expect("a JPEG");
        bytes
    }

    /// A JPEG with an APP11 segment that begins like a C2PA manifest store (a JUMBF superbox
    /// labelled `c2pa`) and then lies about its lengths.
    fn with_crafted_manifest(jpeg: &[u8]) -> Vec<u8> {
        let mut jumbf = Vec::new();
        jumbf.extend_from_slice(&0x7FFF_FFF0u32.to_be_bytes()); // a superbox far longer than the file
        jumbf.extend_from_slice(b"jumb");
        jumbf.extend_from_slice(&40u32.to_be_bytes());
        jumbf.extend_from_slice(b"jumd");
        jumbf.extend_from_slice(&[0x63, 0x32, 0x70, 0x61, 0x00, 0x11, 0x00, 0x10, 0x80, 0x00, 0x00, 0xAA]);
        jumbf.extend_from_slice(&[0x00, 0x38, 0x9B, 0x71]);
        jumbf.push(0x03);
        jumbf.extend_from_slice(b"c2pa\0");
        jumbf.extend_from_slice(&[0xEE; 64]);
        let mut segment = b"JP".to_vec();
        segment.extend_from_slice(&[0x00, 0x01, 0x00, 0x00, 0x00, 0x01]);
        segment.extend_from_slice(&jumbf);
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xEB]);
        out.extend_from_slice(&u16::try_from(segment.len() + 2).expect("a short segment").to_be_bytes());
        out.extend_from_slice(&segment);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn a_photo_without_credentials_has_none() {
        let anchors = TrustAnchors::default();
        assert_eq!(read_credentials(&plain_jpeg(), "image/jpeg", &anchors), Credentials::Absent);
    }

    #[test]
    fn a_crafted_manifest_is_reported_as_unreadable_and_nothing_breaks() {
        let crafted = with_crafted_manifest(&plain_jpeg());
        assert!(image::load_from_memory(&crafted).is_ok(), "the picture itself is whole");
        match read_credentials(&crafted, "image/jpeg", &TrustAnchors::default()) {
            Credentials::Unreadable(why) => assert!(why.contains("could not be read"), "{why}"),
            other => panic!("a crafted manifest must be reported as unreadable, not {other:?}"),
        }
    }

    #[test]
    fn trust_anchors_must_hold_a_certificate() {
        assert!(TrustAnchors::from_pem("not a certificate").is_err());
        let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        assert!(!TrustAnchors::from_pem(pem).expect("one certificate").is_empty());
    }
}
