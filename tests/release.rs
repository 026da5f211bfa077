//! The release script and profile, checked fast: the script parses and its dry run passes, and
//! the release profile keeps the settings the release was measured with. The real build
//! (`scripts/release`) is slow and not part of the test suite.

use std::process::Command;

#[test]
fn release_script_parses_and_its_dry_run_names_the_artifact() {
    let root = env!("CARGO_MANIFEST_DIR");
    let syntax = Command::new("bash")
        .args(["-n", &format!("{root}/scripts/release")])
        .status()
        .unwrap();
    assert!(syntax.success(), "bash -n scripts/release");
    let out = Command::new(format!("{root}/scripts/release"))
        .arg("--dry-run")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        text.contains(&format!("dist/opsdeck-{version}-x86_64-linux-glibc2.17")),
        "{text}"
    );
    assert!(text.contains("x86_64-unknown-linux-gnu.2.17"), "{text}");
    let bad = Command::new(format!("{root}/scripts/release"))
        .arg("--frobnicate")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2), "unknown options are refused");
}

#[test]
fn the_dist_profile_is_tuned_for_a_binary_people_copy_around_and_release_stays_quick() {
    let manifest: toml::Table =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
            .unwrap()
            .parse()
            .unwrap();
    let dist = &manifest["profile"]["dist"];
    assert_eq!(dist["inherits"].as_str(), Some("release"));
    assert_eq!(dist["lto"].as_str(), Some("fat"), "{dist:?}");
    assert_eq!(dist["codegen-units"].as_integer(), Some(1), "{dist:?}");
    let release = &manifest["profile"]["release"];
    assert_eq!(release["strip"].as_bool(), Some(true));
    // The README's first command builds this profile: no whole-program LTO there.
    assert!(release.get("lto").is_none(), "{release:?}");
    assert!(release.get("codegen-units").is_none(), "{release:?}");
    let script =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/release")).unwrap();
    assert!(
        script.contains("cargo zigbuild --profile dist"),
        "scripts/release builds dist"
    );
}
