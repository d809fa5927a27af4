//! The report (`acta report` content): a history with a subset of the seed story, rendered
//! in Markdown, JSON and HTML.

use acta_core::EntryHash;
use acta_core::json::{Profile, Value, parse, write_object};
use acta_domain::EntryRef;
use acta_domain::model::{History, Item, ViewOptions};
use acta_report::{self as report, Report, ReportParams, SentenceKind};
use chrono::NaiveDate;

/// A distinct fake hash per seq (31 is odd, so the first byte differs for seq < 256).
fn hash(seq: u64) -> EntryHash {
    let s = u8::try_from(seq % 256).unwrap();
    let mut b = [0u8; 32];
    for (i, x) in b.iter_mut().enumerate() {
        *x = s
            .wrapping_mul(31)
            .wrapping_add(u8::try_from(i).unwrap() * 7)
            ^ 0x5c;
    }
    EntryHash(b)
}

fn at(seq: u64) -> EntryRef {
    EntryRef {
        seq,
        hash: hash(seq),
    }
}

/// `@N` in the JSON stands for the hash of entry N.
const SEED: &str = "job:33-E-261125";

/// `(seq, author, type, data)`; `@H17` is replaced by entry 17's hash.
fn entries() -> Vec<(u64, &'static str, &'static str, String)> {
    let raw: Vec<(&str, &str, String)> = vec![
        // Reference data.
        ("clerk", "situation_registered", r#"{"situation":"ICC-01/11","name":"Libya","occurred":"unknown","referral":"unsc_referral","unsc_resolution":"S/RES/1970 (2011)"}"#.into()),
        ("clerk", "situation_registered", r#"{"situation":"ICC-01/18","name":"the State of Palestine","occurred":"unknown","referral":"state_referral"}"#.into()),
        ("clerk", "situation_registered", r#"{"situation":"ICC-01/22","name":"Ukraine","occurred":"unknown","referral":"state_referral"}"#.into()),
        ("transcriber", "unsc_referral_recorded", r#"{"resolution":"S/RES/1970 (2011)","situation":"ICC-01/11","bound_states":["LBY"],"occurred":"2011","sources":[{"doc":"SEED","para":"29"}]}"#.into()),
        ("transcriber", "unsc_referral_recorded", r#"{"resolution":"S/RES/1593 (2005)","situation":"ICC-02/05","bound_states":["SDN"],"paragraph":"2","occurred":"2005","sources":[{"doc":"SEED","para":"28","footnote":32}]}"#.into()),
        ("clerk", "person_registered", r#"{"person":"njeem-osama-elmasry","primary_name":"Osama Elmasry Njeem","aliases":["Almasri"],"nationality":"LBY"}"#.into()),
        ("clerk", "person_registered", r#"{"person":"netanyahu-benjamin","primary_name":"Benjamin Netanyahu","nationality":"ISR","position":"Prime Minister of Israel"}"#.into()),
        ("clerk", "person_registered", r#"{"person":"putin-vladimir","primary_name":"Vladimir Putin","nationality":"RUS","position":"President of the Russian Federation"}"#.into()),
        ("clerk", "person_registered", r#"{"person":"harun-ahmed","primary_name":"Ahmed Harun","nationality":"SDN"}"#.into()),
        ("secretariat", "person_registered", r#"{"person":"kaukoranta-paivi","primary_name":"Päivi Kaukoranta","kind":"official","nationality":"FIN"}"#.into()),
        ("transcriber", "prior_fact_asserted", r#"{"fact":{"state_status":{"state":"HUN","status":"party"}},"occurred":"2024-12-07"}"#.into()),
        ("transcriber", "prior_fact_asserted", r#"{"fact":{"state_status":{"state":"ITA","status":"party"}},"occurred":"2024-12-07"}"#.into()),
        ("transcriber", "prior_fact_asserted", r#"{"fact":{"state_status":{"state":"MNG","status":"party"}},"occurred":"2024-12-07"}"#.into()),
        ("transcriber", "prior_fact_asserted", r#"{"fact":{"state_status":{"state":"TJK","status":"party"}},"occurred":"2024-12-07"}"#.into()),
        ("transcriber", "prior_fact_asserted", r#"{"fact":{"warrant_outstanding":{"warrant_id":"netanyahu-warrant","person":"netanyahu-benjamin","situation":"ICC-01/18","issued_before":"2025-04-03","chamber":"PTC-I"}},"occurred":"2025-04-03","sources":[{"doc":"SEED","para":"22"}]}"#.into()),
        ("transcriber", "prior_fact_asserted", r#"{"fact":{"warrant_outstanding":{"warrant_id":"putin-warrant","person":"putin-vladimir","situation":"ICC-01/22","issued_before":"2025-10-08"}},"occurred":"2025-10-08","sources":[{"doc":"SEED","para":"38"}]}"#.into()),
        // Section I.
        ("secretariat", "focal_point_appointed", r#"{"state":"MEX","region_group":"latin_american_and_caribbean","meeting":"2024-3","occurred":"2024-03-06","sources":[{"doc":"bureau:2024-3","footnote":19}]}"#.into()),
        ("secretariat", "focal_point_appointed", r#"{"state":"SLE","region_group":"african","meeting":"2024-3","occurred":"2024-03-06","sources":[{"doc":"bureau:2024-3","footnote":19}]}"#.into()),
        ("secretariat", "focal_point_appointed", r#"{"state":"VUT","region_group":"asia_pacific","meeting":"2024-3","occurred":"2024-03-06","sources":[{"doc":"bureau:2024-3","footnote":19}]}"#.into()),
        ("transcriber", "focal_point_appointed", r#"{"state":"POL","region_group":"eastern_european","meeting":"2024-5","occurred":{"not_before":"2024-05-01","not_after":"2024-05-08"},"acknowledged_anomalies":["E_MEETING_DATE_MISMATCH"],"sources":[{"doc":"SEED","para":"15","published_text":"appointed at the Bureau meeting held on 1 May 2024"},{"doc":"bureau:2024-5","footnote":20}]}"#.into()),
        ("secretariat", "asp_president_term_recorded", r#"{"person":"kaukoranta-paivi","state":"FIN","occurred":"2023-12"}"#.into()),
        ("secretariat", "mandate_allocated", r#"{"meeting":"2025-2","mandate":"non-cooperation","holder":"ad_country_focal_points","base":"new_york","occurred":"2025-01-15","sources":[{"doc":"bureau:2025-2","footnote":18}]}"#.into()),
        ("secretariat", "focal_point_mandate_confirmed", r#"{"states":["MEX","SLE","VUT","POL"],"meeting":"2025-2","occurred":"2025-01-15","president_ex_officio":true,"sources":[{"doc":"bureau:2025-2","footnote":18}]}"#.into()),
        // Italy.
        ("clerk", "arrest_warrant_issued", r#"{"warrant_id":"njeem-warrant","person":"njeem-osama-elmasry","situation":"ICC-01/11","chamber":"PTC-I","visibility":"sealed","doc_ref":"ICC-01/11-208","vote":"majority","crimes":["crimes_against_humanity","war_crimes"],"occurred":"2025-01-18","sources":[{"doc":"SEED","para":"25","footnote":28}]}"#.into()),
        ("transcriber", "person_arrested", r#"{"warrant_id":"njeem-warrant","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-01-19","sources":[{"doc":"SEED","para":"25"}]}"#.into()),
        ("transcriber", "person_released_without_surrender", r#"{"warrant_id":"njeem-warrant","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-01-21","expelled_to":"LBY","as_published":{"expelled_to":"the Libyan Arab Republic"},"sources":[{"doc":"SEED","para":"25"}]}"#.into()),
        ("transcriber", "arrest_warrant_unsealed", r#"{"warrant_id":"njeem-warrant","new_visibility":"public","occurred":{"not_before":"2025-01-18","not_after":"2025-05-15"},"sources":[{"doc":"SEED","para":"43"}]}"#.into()),
        ("clerk", "prosecutor_unsc_briefing_delivered", r#"{"resolution":"S/RES/1593 (2005)","ordinal":40,"occurred":"2025-01-27","appeals":["the transfer of Ahmed Harun"],"persons":["harun-ahmed"],"sources":[{"doc":"SEED","para":"42","footnote":37}]}"#.into()),
        // Mongolia.
        ("clerk", "non_compliance_decision_issued", r#"{"decision_id":"mng-finding-2024","proceeding_id":"mng-ukraine-proceeding","state":"MNG","situation":"ICC-01/22","chamber":"PTC-II","doc_ref":"ICC-01/22-90","finding":"non_compliant","referral":"not_stated","legal_basis":"art_87_7","opens_implicitly":true,"occurred":"2024-10-24","sources":[{"doc":"SEED","para":"20","footnote":23}]}"#.into()),
        ("transcriber", "procedural_request_filed", r#"{"request_id":"mng-disqualification","kind":"disqualification","filed_by":"state:MNG","proceeding_id":"mng-ukraine-proceeding","doc_ref":"ICC-01/22-92-Anx","pages":"4-8","occurred":{"not_before":"2024-10-24","not_after":"2024-11-28"},"sources":[{"doc":"SEED","footnote":25}]}"#.into()),
        ("transcriber", "procedural_request_filed", r#"{"request_id":"mng-temporary-stay","kind":"temporary_stay","filed_by":"state:MNG","proceeding_id":"mng-ukraine-proceeding","doc_ref":"ICC-01/22-91-Anx","pages":"9-10","occurred":{"not_before":"2024-10-24","not_after":"2024-11-28"},"sources":[{"doc":"SEED","footnote":25}]}"#.into()),
        ("transcriber", "procedural_request_filed", r#"{"request_id":"mng-leave-to-appeal","kind":"leave_to_appeal","filed_by":"state:MNG","proceeding_id":"mng-ukraine-proceeding","doc_ref":"ICC-01/22-91-Anx","pages":"4-8","occurred":{"not_before":"2024-10-24","not_after":"2024-11-28"},"sources":[{"doc":"SEED","footnote":25}]}"#.into()),
        ("transcriber", "procedural_request_decided", r#"{"request_id":"mng-temporary-stay","deciding_body":"PTC-II","outcome":"dismissed","doc_ref":"ICC-01/22-111","occurred":"2024-11-28","sources":[{"doc":"SEED","footnote":25}]}"#.into()),
        ("transcriber", "procedural_request_decided", r#"{"request_id":"mng-leave-to-appeal","deciding_body":"PTC-II","outcome":"dismissed","doc_ref":"ICC-01/22-111","occurred":"2024-11-28","sources":[{"doc":"SEED","footnote":25}]}"#.into()),
        ("transcriber", "procedural_request_filed", r#"{"request_id":"mng-reconsideration","kind":"reconsideration","filed_by":"state:MNG","proceeding_id":"mng-ukraine-proceeding","target_decision":"ICC-01/22-111","doc_ref":"ICC-01/22-112","occurred":"2024-12-02","sources":[{"doc":"SEED","para":"20","footnote":24}]}"#.into()),
        ("transcriber", "procedural_request_filed", r#"{"request_id":"mng-partial-reconsideration","kind":"disqualification_reconsideration","filed_by":"state:MNG","proceeding_id":"mng-ukraine-proceeding","doc_ref":"ICC-01/22-113","occurred":"2024-12-02","sources":[{"doc":"SEED","para":"20","footnote":25}]}"#.into()),
        ("transcriber", "procedural_request_decided", r#"{"request_id":"mng-partial-reconsideration","deciding_body":"Plenary","outcome":"dismissed","doc_ref":"ICC-01/22-121","occurred":"2025-03-10","sources":[{"doc":"SEED","para":"20","footnote":26}]}"#.into()),
        ("transcriber", "procedural_request_decided", r#"{"request_id":"mng-reconsideration","deciding_body":"PTC-II","outcome":"rejected","doc_ref":"ICC-01/22-123","reasons":"finding no grounds to depart from its prior rulings","occurred":"2025-03-18","sources":[{"doc":"SEED","para":"20","footnote":27}]}"#.into()),
        ("transcriber", "court_informed_asp", r#"{"about":["ICC-01/22-121","ICC-01/22-123"],"occurred":{"not_before":"2025-03-18","not_after":"2025-04-02"},"attributed_to":"court:president","sources":[{"doc":"SEED","para":"36"}]}"#.into()),
        ("transcriber", "bureau_took_note", r#"{"occurred":"2024-04-02","of_documents":["ICC-01/22-121","ICC-01/22-123"],"informed_by":"court:president","acknowledged_anomalies":["E_DATE_ORDER"],"sources":[{"doc":"SEED","para":"36","published_text":"On 2 April 2024, the Bureau took note of the decisions of the Pre-Trial Chamber dated 10 March and 18 March 2025"}]}"#.into()),
        ("transcriber", "anomaly_flagged", r#"{"target":{"seq":@S-1,"hash":"@H-1"},"code":"E_DATE_ORDER","field_path":"occurred","explanation":"notes decisions issued 2025-03-10 and 2025-03-18; the date precedes them by 11 months"}"#.into()),
        ("transcriber", "correction_recorded", r#"{"target":{"seq":@S-2,"hash":"@H-2"},"field_path":"occurred","published_value":"2024-04-02","corrected_value":"2025-04-02","basis":"internal_consistency","confidence":"high","resolves":{"seq":@S-1,"hash":"@H-1"}}"#.into()),
        ("reviewer", "approval_recorded", r#"{"target":{"seq":@S-1,"hash":"@H-1"}}"#.into()),
        // Hungary.
        ("secretariat", "asp_president_letter_sent", r#"{"letter_id":"letter-hun-2025-03-31","state":"HUN","to_office":"Minister of Foreign Affairs and Trade","track":"informal","purpose":"pre_visit_reminder","person":"netanyahu-benjamin","episode_id":"hun-netanyahu-2025","occurred":"2025-03-31","sources":[{"doc":"SEED","para":"34","footnote":33}]}"#.into()),
        ("secretariat", "focal_points_communication_issued", r#"{"audience":"all_states_parties","kinds":["visit_alert","toolkit_reminder"],"episode_id":"hun-netanyahu-2025","person":"netanyahu-benjamin","state":"HUN","occurred":{"not_after":"2025-04-03"},"sources":[{"doc":"SEED","para":"35"}]}"#.into()),
        ("transcriber", "wanted_person_visit_recorded", r#"{"visit_id":"hun-netanyahu-visit-2025","person":"netanyahu-benjamin","state":"HUN","occurred":{"from":"2025-04-03","to":"2025-04-06"},"outcome":"not_arrested","episode_id":"hun-netanyahu-2025","sources":[{"doc":"SEED","para":"21"}]}"#.into()),
        ("transcriber", "asp_president_letter_published", r#"{"letter_id":"letter-hun-2025-03-31","occurred":"2025-04-03","channel":"X account @PASPKaukoranta","provenance":{"inferred":{"rule":"published once the visit had commenced: the first day of the visit","from":[{"seq":@S-1,"hash":"@H-1"}]}},"confidence":"medium","sources":[{"doc":"SEED","para":"34","footnote":33}]}"#.into()),
        ("transcriber", "non_compliance_proceeding_opened", r#"{"proceeding_id":"hun-palestine-proceeding","state":"HUN","situation":"ICC-01/18","chamber":"PTC-I","legal_basis":"art_87_7","person":"netanyahu-benjamin","warrant_id":"netanyahu-warrant","visit_id":"hun-netanyahu-visit-2025","trigger":"after_visit","occurred":{"not_before":"2025-04-03","not_after":"2025-07-24"},"sources":[{"doc":"SEED","para":"22"}]}"#.into()),
        ("clerk", "non_compliance_decision_issued", r#"{"decision_id":"hun-finding-2025","proceeding_id":"hun-palestine-proceeding","state":"HUN","situation":"ICC-01/18","chamber":"PTC-I","doc_ref":"ICC-01/18-462","finding":"non_compliant","referral":{"referred":"asp"},"legal_basis":"art_87_7","person":"netanyahu-benjamin","warrant_id":"netanyahu-warrant","title":"Finding under article 87(7) of the Rome Statute on the non-compliance by Hungary with the request by the Court to cooperate in the arrest and surrender of Benjamin Netanyahu and referral to the Assembly of States Parties","occurred":"2025-07-24","sources":[{"doc":"SEED","para":"23"},{"doc":"SEED","annex":"I","footnote":5}]}"#.into()),
        ("clerk", "referral_transmitted", r#"{"proceeding_id":"hun-palestine-proceeding","to":"asp","decision_id":"hun-finding-2025","basis":"reg. 109(4)","attributed_to":"court:Presidency","occurred":"2025-07-24","sources":[{"doc":"SEED","para":"24"}]}"#.into()),
        ("secretariat", "asp_matter_opened", r#"{"asp_matter_id":"hun-asp-matter","state":"HUN","trigger":{"court_referral":{"proceeding_id":"hun-palestine-proceeding"}},"occurred":"2025-07-24"}"#.into()),
        ("secretariat", "bureau_considered_referral", r#"{"asp_matter_id":"hun-asp-matter","state":"HUN","meeting":"2025-13","state_heard":true,"procedures_para":"procedures para. 14(c)","state_position_summary":"reiterating its position submitted to Pre-Trial Chamber I","outcome":"took note of Hungary's statement; the topic to be addressed at the twenty-fourth session","occurred":"2025-09-03","sources":[{"doc":"SEED","para":"37"},{"doc":"bureau:2025-13","footnote":34,"published_text":"Decision of the Bureau of the Assembly of States Parties, 3 September 2023"}]}"#.into()),
        ("reviewer", "anomaly_flagged", r#"{"target":{"seq":@S-1,"hash":"@H-1"},"code":"W_SOURCE_INTERNAL_CONFLICT","field_path":"sources[1].published_text","explanation":"fn 34 dates the decision 3 September 2023 <sic> & the text says 3 September 2025"}"#.into()),
        // Italy's proceeding.
        ("transcriber", "non_compliance_proceeding_opened", r#"{"proceeding_id":"ita-libya-proceeding","state":"ITA","situation":"ICC-01/11","chamber":"PTC-I","legal_basis":"art_87_7","person":"njeem-osama-elmasry","warrant_id":"njeem-warrant","trigger":"after_release","occurred":{"not_before":"2025-01-21","not_after":"2025-10-17"},"sources":[{"doc":"SEED","para":"26"}]}"#.into()),
        ("clerk", "non_compliance_decision_issued", r#"{"decision_id":"ita-decision-2025","proceeding_id":"ita-libya-proceeding","state":"ITA","situation":"ICC-01/11","chamber":"PTC-I","doc_ref":"ICC-01/11-209","finding":"not_stated","referral":{"deferred":{"invitation":"information on any domestic proceedings relevant to the case and their impact on its future cooperation with the Court","deadline":"2025-10-31"}},"vote_on_referral":"majority","person":"njeem-osama-elmasry","warrant_id":"njeem-warrant","title":"Decision on Italy's non-compliance with a request for cooperation","opinions":[{"judge":"María del Socorro Flores Liera","kind":"partially_dissenting","doc_ref":"ICC-01/11-209-Anx"}],"occurred":"2025-10-17","sources":[{"doc":"SEED","para":"27","footnote":29}]}"#.into()),
        ("clerk", "state_observations_invited", r#"{"proceeding_id":"ita-libya-proceeding","state":"ITA","deadline":"2025-10-31","doc_ref":"ICC-01/11-209","occurred":"2025-10-17"}"#.into()),
        ("clerk", "state_observations_submitted", r#"{"proceeding_id":"ita-libya-proceeding","state":"ITA","doc_ref":"ICC-01/11-211-Anx","attributed_to":"state:ITA","occurred":"2025-10-31","sources":[{"doc":"SEED","para":"27","footnote":31}]}"#.into()),
        // Tajikistan.
        ("secretariat", "focal_points_activated", r#"{"episode_id":"tjk-putin-2025","person":"putin-vladimir","state":"TJK","includes_president_good_offices":true,"track":"informal","occurred":{"not_after":"2025-10-08"},"sources":[{"doc":"SEED","para":"38"}]}"#.into()),
        ("secretariat", "asp_president_letter_sent", r#"{"letter_id":"letter-tjk-2025-10-07","state":"TJK","to_office":"Minister of Foreign Affairs","track":"informal","purpose":"pre_visit_reminder","person":"putin-vladimir","episode_id":"tjk-putin-2025","recalls":[{"provision":"art. 86"},{"provision":"art. 89(1)"}],"occurred":"2025-10-07","sources":[{"doc":"SEED","para":"39","footnote":35}]}"#.into()),
        ("transcriber", "wanted_person_visit_recorded", r#"{"visit_id":"tjk-putin-visit-2025","person":"putin-vladimir","state":"TJK","occurred":{"from":"2025-10-08","to":"2025-10-10"},"outcome":"not_arrested","episode_id":"tjk-putin-2025","provenance":{"inferred":{"rule":"year taken from the letter of 7 October 2025"}},"confidence":"high","sources":[{"doc":"SEED","para":"38"}]}"#.into()),
        ("transcriber", "asp_president_letter_published", r#"{"letter_id":"letter-tjk-2025-10-07","occurred":"2025-10-08","channel":"X account @PASPKaukoranta","provenance":{"inferred":{"rule":"published once the visit had commenced: the first day of the visit","from":[{"seq":@S-1,"hash":"@H-1"}]}},"confidence":"medium","sources":[{"doc":"SEED","para":"39","footnote":35}]}"#.into()),
        // Others.
        ("secretariat", "focal_points_communication_issued", r#"{"audience":"all_states_parties","kinds":["message"],"occasion":"UN General Assembly High-Level Week","recalls":[{"doc":"ICC-ASP/23/Res.5","para":"8"}],"occurred":"2025-09-26","sources":[{"doc":"SEED","para":"40","footnote":36}]}"#.into()),
        ("clerk", "prosecutor_unsc_briefing_delivered", r#"{"resolution":"S/RES/1970 (2011)","ordinal":29,"occurred":"2025-05-15","persons":["njeem-osama-elmasry"],"states":["ITA"],"sources":[{"doc":"SEED","para":"43","footnote":39}]}"#.into()),
        ("clerk", "prosecutor_unsc_briefing_delivered", r#"{"resolution":"S/RES/1593 (2005)","ordinal":41,"occurred":"2025-07-10","sources":[{"doc":"SEED","para":"42","footnote":38}]}"#.into()),
        ("secretariat", "focal_points_meeting_held", r#"{"kind":"strategic_planning","topics":["the programme of work for 2025"],"occurred":"2025-03-10","sources":[{"doc":"SEED","para":"45"}]}"#.into()),
        ("secretariat", "focal_points_meeting_held", r#"{"kind":"nywg_update","counterpart":"New York Working Group","occurred":"2025-04-01","sources":[{"doc":"SEED","para":"45"}]}"#.into()),
        ("secretariat", "focal_points_meeting_held", r#"{"kind":"with_president","occurred":"2025-04-29","sources":[{"doc":"SEED","para":"45"}]}"#.into()),
        ("secretariat", "focal_points_meeting_held", r#"{"kind":"nywg_update","counterpart":"New York Working Group","occurred":"2025-06-10","sources":[{"doc":"SEED","para":"45"}]}"#.into()),
        ("secretariat", "focal_points_meeting_held", r#"{"kind":"facilitation_briefing","counterpart":"Cooperation facilitation","virtual":true,"occurred":"2025-07-03","sources":[{"doc":"SEED","para":"45"}]}"#.into()),
        ("secretariat", "focal_points_meeting_held", r#"{"kind":"internal","occurred":"2025-09-03","sources":[{"doc":"SEED","para":"45"}]}"#.into()),
        ("secretariat", "focal_points_meeting_held", r#"{"kind":"nywg_update","counterpart":"New York Working Group","occurred":"2025-09-08","sources":[{"doc":"SEED","para":"45"}]}"#.into()),
        ("secretariat", "focal_points_meeting_held", r#"{"kind":"nywg_update","counterpart":"New York Working Group","occurred":"2025-10-21","sources":[{"doc":"SEED","para":"45"}]}"#.into()),
        ("secretariat", "asp_plenary_scheduled", r#"{"topic":"non-cooperation","scheduled_for":"2025-12-03","session":24,"focus":"prevention of non-compliance through article 97 consultations","occurred":"unknown","sources":[{"doc":"SEED","para":"45"}]}"#.into()),
        ("transcriber", "public_statement_issued", r#"{"by":"asp:president","subject":"the importance of executing the arrest warrants issued by the Court and of avoiding non-essential contacts","occurred":{"from":"2024-12-07","to":"2025-11-26"},"sources":[{"doc":"SEED","para":"33"}]}"#.into()),
        ("transcriber", "x_future_event_type", r#"{"occurred":"2025-06-01","what":"a type from a later version"}"#.into()),
    ];
    raw.into_iter()
        .enumerate()
        .map(|(i, (author, t, data))| {
            let seq = u64::try_from(i).unwrap() + 1;
            let mut data = data.replace("SEED", SEED);
            for back in (1..=3u64).filter(|b| *b < seq) {
                data = data
                    .replace(&format!("@S-{back}"), &(seq - back).to_string())
                    .replace(&format!("@H-{back}"), &hash(seq - back).to_string());
            }
            (seq, author, t, data)
        })
        .collect()
}

fn history() -> History {
    let mut items = Vec::new();
    let mut size = 1; // entry 0: the genesis, a system entry
    for (seq, author, entry_type, data) in entries() {
        let Ok(Value::Object(o)) = parse(data.as_bytes(), Profile::Entry) else {
            panic!("entry {seq} ({entry_type}) is not a JSON object: {data}");
        };
        if acta_domain::is_known_type(entry_type)
            && let Err(e) = acta_domain::validate(entry_type, &o)
        {
            panic!("entry {seq} ({entry_type}) is not valid: {e}");
        }
        let mut text = Vec::new();
        write_object(o.iter(), &mut text);
        items.push(Item {
            at: at(seq),
            author: format!("{author}+0123456789abcdef"),
            recorded_at: "2025-11-26T12:00:00Z".to_owned(),
            entry_type: entry_type.to_owned(),
            data: String::from_utf8(text).unwrap(),
        });
        size = seq + 1;
    }
    History { items, size }
}

fn params(h: &History) -> ReportParams {
    ReportParams {
        from: NaiveDate::from_ymd_opt(2024, 12, 7).unwrap(),
        to: NaiveDate::from_ymd_opt(2025, 11, 26).unwrap(),
        session: Some(24),
        origin: "seed-subset.log".to_owned(),
        head: h.items.last().map(|i| i.at),
        size: h.size,
    }
}

fn report() -> (History, Report) {
    let h = history();
    let model = h.view(ViewOptions::default());
    assert!(
        model.violations.is_empty(),
        "the test history is valid: {:?}",
        model.violations
    );
    let r = report::build(&model, &params(&h));
    (h, r)
}

/// Every sentence of the report, with its section number.
fn sentences(r: &Report) -> Vec<(&str, &report::Sentence)> {
    r.sections
        .iter()
        .flat_map(|s| {
            s.paragraphs
                .iter()
                .flat_map(move |p| p.sentences.iter().map(move |x| (s.number.as_str(), x)))
        })
        .collect()
}

/// The sentence containing all of `parts`, and its described entry's type.
fn find<'r>(r: &'r Report, parts: &[&str]) -> &'r report::Sentence {
    let found: Vec<_> = sentences(r)
        .into_iter()
        .filter(|(_, s)| parts.iter().all(|p| s.text.contains(p)))
        .collect();
    assert!(
        !found.is_empty(),
        "no sentence contains {parts:?}:\n{}",
        report::to_markdown(r)
    );
    found[0].1
}

fn primary_type(s: &report::Sentence) -> &str {
    s.footnote.entries[0].entry_type.as_deref().unwrap_or("")
}

#[test]
fn states_the_seed_facts_with_their_entries_and_documents() {
    let (_, r) = report();
    let md = report::to_markdown(&r);
    let json = report::to_json(&r);

    // Hungary: finding of 24 July 2025, ICC-01/18-462, referral to the Assembly.
    let s = find(
        &r,
        &[
            "The Chamber found",
            "Hungary had failed to comply",
            "Assembly of States Parties",
        ],
    );
    assert_eq!(primary_type(s), "non_compliance_decision_issued");
    assert!(s.footnote.documents.iter().any(|d| d == "ICC-01/18-462"));
    let s = find(
        &r,
        &["On 24 July 2025", "Pre-Trial Chamber I issued a decision"],
    );
    assert_eq!(primary_type(s), "non_compliance_decision_issued");
    let s = find(
        &r,
        &[
            "24 July 2025",
            "referred the matter of Hungary's non-compliance to the Assembly of States Parties",
        ],
    );
    assert_eq!(primary_type(s), "referral_transmitted");

    // Italy: 17 October 2025, referral deferred, pending at the end of the period.
    let s = find(
        &r,
        &["On 17 October 2025", "Decision on Italy's non-compliance"],
    );
    assert_eq!(primary_type(s), "non_compliance_decision_issued");
    assert!(s.footnote.documents.iter().any(|d| d == "ICC-01/11-209"));
    let s = find(
        &r,
        &["deferred its determination", "Italy's non-compliance"],
    );
    assert_eq!(primary_type(s), "non_compliance_decision_issued");
    let s = find(
        &r,
        &[
            "As at 26 November 2025",
            "determination on referral was pending",
            "31 October 2025",
        ],
    );
    assert_eq!(s.kind, SentenceKind::Pending);
    assert!(
        s.footnote
            .entries
            .iter()
            .any(|e| e.entry_type.as_deref() == Some("state_observations_submitted"))
    );

    // Mongolia: dismissed on 10 March, rejected on 18 March 2025; the 2024 finding as
    // background.
    let s = find(
        &r,
        &[
            "On 10 March 2025",
            "the Plenary of Judges dismissed Mongolia's request",
        ],
    );
    assert_eq!(primary_type(s), "procedural_request_decided");
    assert!(s.footnote.documents.iter().any(|d| d == "ICC-01/22-121"));
    let s = find(
        &r,
        &[
            "On 18 March 2025",
            "Pre-Trial Chamber II rejected Mongolia's request for reconsideration",
        ],
    );
    assert_eq!(primary_type(s), "procedural_request_decided");
    assert!(s.footnote.documents.iter().any(|d| d == "ICC-01/22-123"));
    let s = find(
        &r,
        &[
            "24 October 2024",
            "Pre-Trial Chamber II found, under article 87(7)",
            "Mongolia",
        ],
    );
    assert_eq!(s.kind, SentenceKind::Background);
    assert!(s.footnote.documents.iter().any(|d| d == "ICC-01/22-90"));

    // Njeem: arrest and release without surrender.
    let s = find(
        &r,
        &["On 19 January 2025", "Osama Elmasry Njeem was arrested"],
    );
    assert_eq!(primary_type(s), "person_arrested");
    let s = find(
        &r,
        &[
            "On 21 January 2025",
            "released",
            "without surrender to the Court",
        ],
    );
    assert_eq!(primary_type(s), "person_released_without_surrender");
    assert!(
        s.footnote
            .notes
            .iter()
            .any(|n| n.contains("the Libyan Arab Republic"))
    );

    // The President's letters.
    let s = find(&r, &["conveyed a letter, dated 31 March 2025", "Hungary"]);
    assert_eq!(primary_type(s), "asp_president_letter_sent");
    let s = find(
        &r,
        &[
            "conveyed a letter, dated 7 October 2025",
            "Tajikistan",
            "articles 86 and 89(1)",
        ],
    );
    assert_eq!(primary_type(s), "asp_president_letter_sent");
    let s = find(
        &r,
        &["The letter was published once the visit of Vladimir Putin to Tajikistan had commenced"],
    );
    assert_eq!(s.kind, SentenceKind::Derived);

    // Nil sentences in III and IV; III recalls the resolutions.
    for (n, text) in [
        (
            "III",
            "No Court proceedings concerning non-cooperation took place in relation to States under an obligation arising from a Security Council resolution during the reporting period.",
        ),
        (
            "IV",
            "No Court proceedings concerning non-cooperation took place regarding States not Parties to the Statute during the reporting period.",
        ),
    ] {
        let sec = r.sections.iter().find(|s| s.number == n).unwrap();
        let nil = sec
            .paragraphs
            .iter()
            .flat_map(|p| &p.sentences)
            .find(|s| s.kind == SentenceKind::Nil)
            .unwrap();
        assert_eq!(nil.text, text);
        assert!(
            md.contains(text) && json.contains(text),
            "{n} nil sentence rendered"
        );
    }

    // The same statements in Markdown and JSON.
    for needle in [
        "ICC-01/18-462",
        "On 17 October 2025, Pre-Trial Chamber I issued a decision entitled “Decision on Italy's non-compliance with a request for cooperation”.",
        "On 10 March 2025, the Plenary of Judges dismissed Mongolia's request",
        "On 18 March 2025, Pre-Trial Chamber II rejected Mongolia's request for reconsideration",
        "On 19 January 2025, Osama Elmasry Njeem was arrested",
        "On 21 January 2025, Osama Elmasry Njeem was released by Italy and expelled to Libya, without surrender to the Court.",
        "dated 31 March 2025",
        "dated 7 October 2025",
    ] {
        let md_needle = needle.replace('_', "\\_");
        assert!(md.contains(&md_needle), "Markdown lacks {needle}");
        assert!(
            json.contains(&needle.replace('"', "\\\"")),
            "JSON lacks {needle}"
        );
    }

    // Sections II: Italy, Mongolia, Hungary (by first event of the period); Tajikistan's
    // visit, with no proceeding, goes with its prevention episode in V.
    let ii: Vec<&str> = {
        let sec = r.sections.iter().find(|s| s.number == "II").unwrap();
        let mut g: Vec<&str> = Vec::new();
        for p in &sec.paragraphs {
            if let Some(x) = p.group.as_deref()
                && !g.contains(&x)
            {
                g.push(x);
            }
        }
        g
    };
    assert_eq!(ii, ["Italy", "Mongolia", "Hungary"]);
}

#[test]
fn every_sentence_cites_the_entry_it_describes() {
    let (h, r) = report();
    let model = h.view(ViewOptions::default());
    for (section, s) in sentences(&r) {
        assert!(
            !s.footnote.entries.is_empty(),
            "{section}: {} has no footnote entry",
            s.text
        );
        for e in &s.footnote.entries {
            let item = h.item(e.seq).unwrap_or_else(|| {
                panic!(
                    "{section}: {} cites entry {}, not in the log",
                    s.text, e.seq
                )
            });
            assert_eq!(e.hash, item.at.hash.short(), "hash of entry {}", e.seq);
            assert_eq!(e.entry_type.as_deref(), Some(item.entry_type.as_str()));
        }
        if s.kind == SentenceKind::Nil {
            assert_eq!(s.footnote.entries[0].seq, h.items.last().unwrap().at.seq);
            continue;
        }
        // The first entry is the event described: its type matches what the sentence says.
        let t = primary_type(s);
        let expect: &[(&str, &[&str])] = &[
            ("was arrested", &["person_arrested"]),
            ("without surrender", &["person_released_without_surrender"]),
            (" visited ", &["wanted_person_visit_recorded"]),
            ("conveyed a letter", &["asp_president_letter_sent"]),
            (
                "The letter was published",
                &["asp_president_letter_published"],
            ),
            ("the Bureau took note", &["bureau_took_note"]),
            ("the Bureau considered", &["bureau_considered_referral"]),
            ("was seized", &["non_compliance_proceeding_opened"]),
            ("issued a warrant of arrest", &["arrest_warrant_issued"]),
            (
                "report to the Security Council",
                &["prosecutor_unsc_briefing_delivered"],
            ),
            ("submitted a request", &["procedural_request_filed"]),
            ("submitted an application", &["procedural_request_filed"]),
            ("were activated", &["focal_points_activated"]),
            ("updates on their mandate", &["focal_points_meeting_held"]),
            ("transmitted the decision", &["referral_transmitted"]),
            ("is scheduled", &["asp_plenary_scheduled"]),
        ];
        for (phrase, types) in expect {
            if s.text.contains(phrase) && s.kind != SentenceKind::Pending {
                assert!(types.contains(&t), "{section}: “{}” cites a {t}", s.text);
            }
        }
        // The described fact exists in the model with that type.
        let f = model.fact(s.footnote.entries[0].seq).unwrap();
        assert_eq!(f.event.entry_type(), t);
    }
}

#[test]
fn corrections_discrepancies_and_unknown_types() {
    let (_, r) = report();
    let md = report::to_markdown(&r);
    // The Bureau took note on 2 April 2025 (corrected), the published date in the footnote.
    let s = find(
        &r,
        &[
            "On 2 April 2025, the Bureau took note of the decision of the Plenary of Judges of 10 March 2025",
        ],
    );
    assert!(
        s.footnote.notes.iter().any(|n| n.starts_with("Published as 2 April 2024; corrected to 2 April 2025 (internal consistency), entries 42 (") ),
        "{:?}",
        s.footnote.notes
    );
    assert!(!md.contains("On 2 April 2024"));
    assert_eq!(r.appendices.corrections.len(), 1);
    let c = &r.appendices.corrections[0];
    assert_eq!(
        (c.target.seq, c.correction.seq, c.approval.seq),
        (40, 42, 43)
    );
    assert_eq!(
        (c.published.as_str(), c.corrected.as_str()),
        ("2 April 2024", "2 April 2025")
    );
    // The open flag on the Bureau's footnote date.
    assert!(
        r.appendices
            .discrepancies
            .iter()
            .any(|d| d.code == "W_SOURCE_INTERNAL_CONFLICT"
                && d.entry.entry_type.as_deref() == Some("bureau_considered_referral"))
    );
    // The entry of an unknown type is listed, not dropped.
    assert_eq!(r.appendices.unknown.len(), 1);
    assert_eq!(
        r.appendices.unknown[0].entry_type.as_deref(),
        Some("x_future_event_type")
    );
    assert!(md.contains("type `x_future_event_type`"));
    // The manifest.
    assert_eq!(r.manifest.head.as_ref().map(|h| h.seq), Some(75));
    assert!(r.manifest.cited.iter().any(|c| c.seq == 40));
}

#[test]
fn html_is_self_contained_balanced_and_escaped() {
    let (_, r) = report();
    let html = report::to_html(&r);
    assert!(html.starts_with("<!DOCTYPE html>"));
    // The Content Security Policy, once, in the head: nothing may be loaded or run.
    let csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">";
    assert_eq!(html.matches(csp).count(), 1);
    assert!(html.find(csp) < html.find("<title>"));
    assert!(
        !html.replacen(csp, "", 1).contains("http"),
        "no external resource or address"
    );
    assert!(!html.contains("<script"));
    // One picture per case.
    assert_eq!(html.matches("<svg").count(), r.cases.len());
    let titles: Vec<&str> = r.cases.iter().map(|c| c.title.as_str()).collect();
    for t in [
        "Osama Elmasry Njeem — Italy",
        "Mongolia",
        "Benjamin Netanyahu — Hungary",
        "Vladimir Putin — Tajikistan",
    ] {
        assert!(titles.contains(&t), "case {t} in {titles:?}");
    }
    // Balanced elements.
    for tag in [
        "html",
        "head",
        "body",
        "main",
        "section",
        "p",
        "span",
        "sup",
        "a",
        "svg",
        "g",
        "text",
        "title",
        "table",
        "tr",
        "td",
        "th",
        "figure",
        "figcaption",
        "ol",
        "ul",
        "li",
        "h1",
        "h2",
        "h3",
        "nav",
        "header",
        "code",
        "defs",
        "pattern",
        "style",
    ] {
        let open =
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        let close = html.matches(&format!("</{tag}>")).count();
        assert_eq!(
            open, close,
            "<{tag}> opened {open} times, closed {close} times"
        );
    }
    // Data with < and & is escaped.
    assert!(html.contains("3 September 2023 &lt;sic&gt; &amp; the text"));
    assert!(!html.contains("<sic>"));
    // Footnotes are links both ways.
    assert!(html.contains("href=\"#fn-1\"") && html.contains("id=\"fn-1\""));
}

#[test]
fn output_is_deterministic() {
    let (_, a) = report();
    let (_, b) = report();
    assert_eq!(report::to_markdown(&a), report::to_markdown(&b));
    assert_eq!(report::to_json(&a), report::to_json(&b));
    assert_eq!(report::to_html(&a), report::to_html(&b));
}

#[test]
fn snapshots() {
    let (_, r) = report();
    insta::assert_snapshot!("report_markdown", report::to_markdown(&r));
    insta::assert_snapshot!("report_json", report::to_json(&r));
}
