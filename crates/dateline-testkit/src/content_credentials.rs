//! Content Credentials for tests: a throwaway certificate authority made in the test, a signer
//! it certifies (as an agency's photo desk would be), and photos signed with the `c2pa` crate.
//! Nothing here is a real signer, and nothing is fetched.

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    PKCS_ECDSA_P256_SHA256,
};

/// A root the paper may trust and a signing certificate under it.
pub struct TestSigner {
    /// The root's certificate (PEM): what goes in the paper's trust anchors file.
    pub root_pem: String,
    /// The signer's certificate then the root's (PEM), as a signer presents them.
    chain_pem: String,
    key_pem: String,
    /// The signer's name, as its certificate gives it.
    pub name: String,
}

impl TestSigner {
    /// A new root named `root_name` and a signer named `signer_name` under it.
    pub fn new(root_name: &str, signer_name: &str) -> TestSigner {
        let root_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("a root key");
        let mut root = CertificateParams::new(Vec::<String>::new()).expect("root parameters");
        root.distinguished_name.push(DnType::CommonName, root_name);
        root.distinguished_name.push(DnType::OrganizationName, root_name);
        root.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        root.key_usages =
            vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let root_certificate = root.self_signed(&root_key).expect("the root's certificate");
        let issuer = Issuer::new(root, root_key);

        let signer_key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("a signer key");
        let mut signer = CertificateParams::new(Vec::<String>::new()).expect("signer parameters");
        signer.distinguished_name.push(DnType::CommonName, signer_name);
        signer.distinguished_name.push(DnType::OrganizationName, signer_name);
        signer.is_ca = IsCa::ExplicitNoCa;
        // What C2PA asks of a signing certificate: a signature key, for documents or e-mail,
        // naming the authority that issued it.
        signer.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        signer.extended_key_usages = vec![ExtendedKeyUsagePurpose::EmailProtection];
        signer.use_authority_key_identifier_extension = true;
        let signer_certificate = signer.signed_by(&signer_key, &issuer).expect("the signer's certificate");
        TestSigner {
            root_pem: root_certificate.pem(),
            chain_pem: format!("{}{}", signer_certificate.pem(), root_certificate.pem()),
            key_pem: signer_key.serialize_pem(),
            name: signer_name.to_owned(),
        }
    }

    /// `jpeg` with a Content Credentials manifest signed by this signer, saying it was made by
    /// `made_with`.
    pub fn sign_jpeg(&self, jpeg: &[u8], made_with: &str) -> Vec<u8> {
        let signer = c2pa::create_signer::from_keys(
            self.chain_pem.as_bytes(),
            self.key_pem.as_bytes(),
            c2pa::SigningAlg::Es256,
            None,
        )
        .expect("a C2PA signer");
        let definition = serde_json::json!({
            "claim_generator_info": [{ "name": made_with, "version": "1.0" }],
            "title": "photo.jpg",
            "assertions": [{
                "label": "c2pa.actions",
                "data": { "actions": [{
                    "action": "c2pa.created",
                    "digitalSourceType": "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
                }] }
            }]
        });
        let mut builder = c2pa::Builder::from_context(c2pa::Context::new())
            .with_definition(definition.to_string().as_str())
            .expect("a manifest definition");
        let mut source = std::io::Cursor::new(jpeg.to_vec());
        let mut signed = std::io::Cursor::new(Vec::new());
        builder.sign(signer.as_ref(), "image/jpeg", &mut source, &mut signed).expect("a signed photo");
        signed.into_inner()
    }
}

/// `signed` with its picture changed after signing, as a retoucher's edit would leave it: one
/// step of the first quantization table (the finest detail it scales) is changed, so every
/// block decodes a little differently while the file stays a whole JPEG and the manifest
/// stays intact.
pub fn tampered(signed: &[u8]) -> Vec<u8> {
    let mut changed = signed.to_vec();
    let table = signed.windows(2).position(|w| w == [0xFF, 0xDB]).expect("a quantization table");
    // Marker, length (2), precision and table number (1), then 64 steps: the last one.
    let finest = table + 2 + 2 + 1 + 63;
    changed[finest] = if changed[finest] < 255 { changed[finest] + 1 } else { 254 };
    changed
}
