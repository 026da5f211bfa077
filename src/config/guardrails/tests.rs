//! The rules as the config gives them: parsing, lines, errors, matching, scale limits.

use super::*;

#[test]
fn scale_limits_bound_the_change_both_ways() {
    let half = ScaleLimit::Percent(50);
    assert!(half.allows(4, 6) && half.allows(4, 2));
    assert!(!half.allows(4, 7) && !half.allows(4, 1));
    assert!(half.allows(0, 1) && !half.allows(0, 2), "from zero: one");
    let ten = ScaleLimit::Count(10);
    assert!(ten.allows(3, 13) && !ten.allows(3, 14) && ten.allows(13, 3));
    assert_eq!(parse_scale_limit("50%"), Some(half));
    assert_eq!(parse_scale_limit("10"), Some(ten));
    assert_eq!(parse_scale_limit("lots"), None);
}

#[test]
fn rules_match_by_glob_namespace_and_kind() {
    let rule = GuardrailRule {
        context: "prod-*".into(),
        namespace: "pos".into(),
        actions: vec!["scale".into(), "rollback".into()],
        deny: Some("frozen".into()),
        typed: false,
        reason: false,
        max_scale_change: None,
        window: None,
        two_person: false,
        line: 1,
    };
    assert!(rule.matches("prod-eu", Some("pos"), "scale"));
    assert!(!rule.matches("staging", Some("pos"), "scale"));
    assert!(!rule.matches("prod-eu", Some("workflow"), "scale"));
    assert!(!rule.matches("prod-eu", Some("pos"), "restart-pod"));
    assert!(!rule.matches("prod-eu", None, "scale"), "no namespace");
    let every = GuardrailRule {
        context: "*".into(),
        namespace: "*".into(),
        actions: Vec::new(),
        ..rule
    };
    assert!(every.matches("positivity-db", None, "terminate-backend"));
    assert!(
        !every.matches("demo", Some("pos"), "verify-backup"),
        "reads only"
    );
}

fn parse(text: &str) -> Result<crate::config::Config, String> {
    crate::config::Config::parse(Path::new("/etc/opsdeck.toml"), text).map_err(|e| e.to_string())
}

#[test]
fn rules_read_with_their_lines_and_defaults() {
    let c = parse(
        "theme = \"light\"\n\n[[guardrails]]\ncontext = \"prod-*\"\nnamespace = \"pos\"\n\
         actions = [\"scale\", \"rollback\"]\ndeny = \"pos is frozen for the sale\"\n\n\
         [[ guardrails ]]\ntyped = true\nreason = true\nmax_scale_change = 10\n\
         window = \"Mon-Fri 08:00-18:00 UTC\"\n",
    )
    .unwrap();
    let [frozen, strict] = c.guardrails.as_slice() else {
        panic!("{:?}", c.guardrails)
    };
    assert_eq!((frozen.line, strict.line), (3, 9));
    assert_eq!(frozen.deny.as_deref(), Some("pos is frozen for the sale"));
    assert_eq!(
        (strict.context.as_str(), strict.namespace.as_str()),
        ("*", "*")
    );
    assert!(strict.actions.is_empty() && strict.typed && strict.reason);
    assert_eq!(strict.max_scale_change, Some(ScaleLimit::Count(10)));
    assert_eq!(strict.window.as_ref().unwrap().start, 8 * 60);
}

#[test]
fn bad_rules_name_file_line_and_key() {
    for (text, says) in [
        (
            "[[guardrails]]\nactions = [\"scael\"]\n",
            "/etc/opsdeck.toml:2:11: key `guardrails[0].actions`: unknown action kind `scael`",
        ),
        (
            "[[guardrails]]\nactions = []\n",
            ":2:11: key `guardrails[0].actions`: an empty list matches nothing",
        ),
        (
            "[[guardrails]]\nmax_scale_change = \"half\"\n",
            ":2:20: key `guardrails[0].max_scale_change`: `half`: expected a percentage",
        ),
        (
            "[[guardrails]]\nwindow = \"weekdays 9-5\"\n",
            ":2:10: key `guardrails[0].window`: `weekdays 9-5`: expected days, hours and the zone",
        ),
        (
            "[[guardrails]]\ncontext = \"prod-[\"\n",
            ":2:11: key `guardrails[0].context`: `prod-[` is not a glob",
        ),
        (
            "[[guardrails]]\ndenny = \"x\"\n",
            ":2:1: key `guardrails[0].denny`: unknown field `denny`",
        ),
        (
            "[[guardrails]]\ndeny = \"x\"\n\n[[guardrails]]\ndeny = \"frozen\"\ntyped = true\n",
            ":4:1: key `guardrails[1].deny`: deny refuses outright, so typed would never apply",
        ),
        (
            "[[guardrails]]\ndeny = \" \"\n",
            ":1:1: key `guardrails[0].deny`: say why",
        ),
        (
            "[[guardrails]]\nactions = [\"rollback\"]\nmax_scale_change = \"50%\"\n",
            ":1:1: key `guardrails[0].max_scale_change`: applies to scale only",
        ),
        (
            "[[kubernetes.context_styles]]\ncontext = \"prod-*\"\nlabel = \"PROD\"\ncolor = \"scarlet\"\n",
            ":4:9: key `kubernetes.context_styles[0].color`: unknown variant `scarlet`",
        ),
        (
            "[[kubernetes.context_styles]]\ncontext = \"prod-*\"\nlabel = \"\"\n",
            ":3:9: key `kubernetes.context_styles[0].label`: a short word",
        ),
    ] {
        let err = parse(text).unwrap_err();
        assert!(err.contains(says), "{text}\n  gave: {err}\n  want: {says}");
    }
}

#[test]
fn context_styles_read_with_their_roles() {
    let c = parse(
        "[[kubernetes.context_styles]]\ncontext = \"prod-*\"\nlabel = \"PROD\"\nproduction = true\n\
         [[kubernetes.context_styles]]\ncontext = \"staging\"\nlabel = \"STAGE\"\ncolor = \"warn\"\n",
    )
    .unwrap();
    let styles = c.kubernetes.unwrap().context_styles;
    let prod = crate::config::context_styles::style_of(&styles, "prod-eu").unwrap();
    assert_eq!(
        (prod.label.as_str(), prod.role()),
        ("PROD", crate::config::Role::Crit)
    );
    let stage = crate::config::context_styles::style_of(&styles, "staging").unwrap();
    assert_eq!(stage.role(), crate::config::Role::Warn);
    assert!(crate::config::context_styles::style_of(&styles, "dev").is_none());
}
