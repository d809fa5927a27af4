//! One valid example per event type (shared by the tests).

use acta_core::json::{Object, Profile, Value, parse};
use acta_domain::EntryRef;

/// A fixed entry hash for examples.
pub const HASH: &str = "d29b20942101e5b1649cf67d75c42e3a62e20283abf94f1bbd6e26a35629f57a";

/// `{"hash":…,"seq":…}` of an entry, for event JSON.
pub fn r(at: EntryRef) -> String {
    format!(r#"{{"hash":"{}","seq":{}}}"#, at.hash, at.seq)
}

/// Parses an example (with `@H` standing for [`HASH`]) into a core JSON object.
pub fn obj(json: &str) -> Object {
    let text = json.replace("@H", HASH);
    match parse(text.as_bytes(), Profile::Entry) {
        Ok(Value::Object(o)) => o,
        other => panic!("example is not a JSON object: {other:?}\n{text}"),
    }
}

/// `(type, data)` for every event type, in catalogue order.
pub fn examples() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "source_document_registered",
            r#"{"doc_ref":"doc:otp-unsc-1593-40","kind":"report","occurred":"2025-01-27","title":"Fortieth Report of the Prosecutor of the International Criminal Court to the United Nations Security Council pursuant to UNSCR 1593 (2005)","language":"en","sources":[{"doc":"job:33-E-261125","footnote":37}]}"#,
        ),
        (
            "situation_registered",
            r#"{"situation":"ICC-02/05","name":"Darfur, Sudan","occurred":"2005-04-21","referral":"unsc_referral","unsc_resolution":"S/RES/1593 (2005)","provenance":{"external":{"doc":"url:https://www.icc-cpi.int/darfur"}},"confidence":"high"}"#,
        ),
        (
            "unsc_referral_recorded",
            r#"{"resolution":"S/RES/1593 (2005)","situation":"ICC-02/05","bound_states":["SDN"],"paragraph":"2","occurred":"2005","sources":[{"doc":"job:33-E-261125","para":"28","footnote":32}]}"#,
        ),
        (
            "state_became_party",
            r#"{"state":"UKR","occurred":"2024-10-25","entry_into_force":"2025-01-01","instrument":"ratification"}"#,
        ),
        (
            "withdrawal_notified",
            r#"{"state":"HUN","occurred":"2025-06-02","effective_on":"2026-06-02","attributed_to":"state:HUN"}"#,
        ),
        (
            "withdrawal_revoked",
            r#"{"state":"ZAF","occurred":"2017-03-07","depositary_notification":"C.N.121.2017.TREATIES-XVIII.10"}"#,
        ),
        (
            "withdrawal_took_effect",
            r#"{"state":"PHL","occurred":"2019-03-17"}"#,
        ),
        (
            "jurisdiction_declaration_lodged",
            r#"{"state":"UKR","occurred":"2015-09-08","covers":{"not_before":"2014-02-20"}}"#,
        ),
        (
            "person_registered",
            r#"{"person":"njeem-osama-elmasry","primary_name":"Osama Elmasry Njeem","aliases":["Almasri","Osama Almasri Njeem"],"nationality":"LBY","kind":"subject"}"#,
        ),
        (
            "person_alias_recorded",
            r#"{"person":"harun-ahmed","alias":"Ahmad Harun"}"#,
        ),
        (
            "person_death_recorded",
            r#"{"person":"example-deceased-suspect","occurred":{"not_before":"2020-01-01","not_after":"2020-12-31"},"established_on":"2022-05-03","attributed_to":"court:PTC-II"}"#,
        ),
        (
            "prior_fact_asserted",
            r#"{"fact":{"warrant_outstanding":{"warrant_id":"netanyahu-2024","person":"netanyahu-benjamin","situation":"ICC-01/18","issued_before":"2025-04-03"}},"occurred":"2025-04-03","sources":[{"doc":"job:33-E-261125","para":"22"}]}"#,
        ),
        (
            "context_fact_recorded",
            r#"{"text":"Military conflict erupted in Sudan.","occurred":"2023-04-15","states":["SDN"],"sources":[{"doc":"ICC-ASP/23/Res.1","para":"39"}]}"#,
        ),
        (
            "checkpoint_signed",
            r#"{"upto":{"seq":48,"hash":"@H"},"projection_hashes":{"warrants":"@H"}}"#,
        ),
        (
            "anomaly_flagged",
            r#"{"target":{"seq":17,"hash":"@H"},"code":"E_DATE_ORDER","field_path":"occurred","explanation":"notes decisions issued 2025-03-10 and 2025-03-18; the date precedes them by 11 months"}"#,
        ),
        (
            "correction_recorded",
            r#"{"target":{"seq":17,"hash":"@H"},"field_path":"occurred","published_value":"2024-04-02","corrected_value":"2025-04-02","basis":"internal_consistency","confidence":"high","resolves":{"seq":18,"hash":"@H"}}"#,
        ),
        (
            "event_retracted",
            r#"{"target":{"seq":30,"hash":"@H"},"reason":"duplicate","duplicate_of":{"seq":29,"hash":"@H"}}"#,
        ),
        ("approval_recorded", r#"{"target":{"seq":19,"hash":"@H"}}"#),
        (
            "arrest_warrant_requested",
            r#"{"application_id":"otp-application-njeem","person":"njeem-osama-elmasry","situation":"ICC-01/11","occurred":"2024-10-02","sealed":true}"#,
        ),
        (
            "arrest_warrant_issued",
            r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","situation":"ICC-01/11","chamber":"PTC-I","visibility":"sealed","doc_ref":"ICC-01/11-208","vote":"majority","crimes":["crimes_against_humanity","war_crimes"],"occurred":"2025-01-18","sources":[{"doc":"job:33-E-261125","para":"25","footnote":28}]}"#,
        ),
        (
            "arrest_warrant_issued_under_seal",
            r#"{"warrant_id":"sealed-2025-1","commitment":"@H","occurred":"2025-02-11","situation":"ICC-01/11"}"#,
        ),
        (
            "arrest_warrant_amended",
            r#"{"warrant_id":"harun-2007","occurred":"2010-07-12","summary":"Charge of genocide added.","crimes":["genocide","crimes_against_humanity","war_crimes"]}"#,
        ),
        (
            "arrest_warrant_unsealed",
            r#"{"warrant_id":"njeem-2025","new_visibility":"public","occurred":{"not_before":"2025-01-19","not_after":"2025-05-15"},"sources":[{"doc":"job:33-E-261125","para":"43"}]}"#,
        ),
        (
            "arrest_warrant_withdrawn",
            r#"{"warrant_id":"example-2015","occurred":"2022-05-03","reason":"death"}"#,
        ),
        (
            "cooperation_request_transmitted",
            r#"{"request_id":"njeem-2025-italy","warrant_id":"njeem-2025","addressees":{"states":["ITA","DEU"]},"occurred":"2025-01-18","basis":["art. 89(1)","art. 91"]}"#,
        ),
        (
            "court_reminder_issued",
            r#"{"warrant_id":"putin-2023","state":"MNG","occurred":"2024-08-30","reason":"anticipated_travel"}"#,
        ),
        (
            "person_arrested",
            r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-01-19","place":"Turin","basis":"icc_warrant"}"#,
        ),
        (
            "custodial_proceedings_recorded",
            r#"{"warrant_id":"njeem-2025","state":"ITA","phase":"opened","occurred":"2025-01-19"}"#,
        ),
        (
            "person_released_without_surrender",
            r#"{"warrant_id":"njeem-2025","person":"njeem-osama-elmasry","state":"ITA","occurred":"2025-01-21","expelled_to":"LBY","as_published":{"expelled_to":"the Libyan Arab Republic"}}"#,
        ),
        (
            "person_surrendered",
            r#"{"warrant_id":"duterte-2025","person":"duterte-rodrigo","state":"PHL","occurred":"2025-03-12","transfer_arrived_on":"2025-03-12"}"#,
        ),
        (
            "domestic_custody_recorded",
            r#"{"person":"example-suspect","state":"LBY","phase":"started","occurred":"2024-02"}"#,
        ),
        (
            "initial_appearance_held",
            r#"{"person":"duterte-rodrigo","chamber":"PTC-I","occurred":"2025-03-14"}"#,
        ),
        (
            "case_milestone_recorded",
            r#"{"case_id":"ICC-02/04-01/05","kind":"confirmation_hearing","in_absentia":true,"occurred":"2025-09-09"}"#,
        ),
        (
            "proceedings_terminated",
            r#"{"person":"example-deceased-suspect","reason":"death","occurred":"2022-05-03","doc_ref":"ICC-01/11-01/17-40"}"#,
        ),
        (
            "travel_information_received",
            r#"{"person":"putin-vladimir","state":"TJK","expected":"2025-10-08","received_by":"asp:focal-points","occurred":{"not_after":"2025-10-07"},"episode_id":"tjk-putin-2025"}"#,
        ),
        (
            "wanted_person_visit_recorded",
            r#"{"visit_id":"hun-netanyahu-2025","person":"netanyahu-benjamin","state":"HUN","occurred":{"from":"2025-04-03","to":"2025-04-06"},"outcome":"not_arrested","sources":[{"doc":"job:33-E-261125","para":"21"}]}"#,
        ),
        (
            "article_97_consultation_requested",
            r#"{"state":"HUN","warrant_id":"netanyahu-2024","occurred":"2025-04-01"}"#,
        ),
        (
            "article_97_consultation_responded",
            r#"{"state":"HUN","response":"The Chamber held that the consultation did not suspend the obligation to arrest.","occurred":"2025-07-24"}"#,
        ),
        (
            "non_compliance_request_filed",
            r#"{"request_id":"otp-request-mng","state":"MNG","warrant_id":"putin-2023","occurred":"2024-09-09","filed_by":"court:otp"}"#,
        ),
        (
            "non_compliance_proceeding_opened",
            r#"{"proceeding_id":"hun-2025","state":"HUN","situation":"ICC-01/18","chamber":"PTC-I","legal_basis":"art_87_7","occurred":{"not_before":"2025-04-03","not_after":"2025-07-24"},"person":"netanyahu-benjamin","trigger":"after_visit","visit_id":"hun-netanyahu-2025"}"#,
        ),
        (
            "chamber_reassigned",
            r#"{"situation":"ICC-01/22","from":"PTC-II","to":"PTC-III","occurred":"2025-03-01"}"#,
        ),
        (
            "state_observations_invited",
            r#"{"proceeding_id":"ita-2025","state":"ITA","occurred":"2025-10-17","deadline":"2025-10-31","doc_ref":"ICC-01/11-209"}"#,
        ),
        (
            "state_observations_submitted",
            r#"{"proceeding_id":"ita-2025","state":"ITA","occurred":"2025-10-31","doc_ref":"ICC-01/11-211-Anx","attributed_to":"state:ITA"}"#,
        ),
        (
            "non_compliance_decision_issued",
            r#"{"decision_id":"ita-2025-decision","proceeding_id":"ita-2025","state":"ITA","situation":"ICC-01/11","chamber":"PTC-I","doc_ref":"ICC-01/11-209","finding":"not_stated","referral":{"deferred":{"invitation":"information on relevant domestic proceedings and their impact on future cooperation","deadline":"2025-10-31"}},"vote_on_referral":"majority","title":"Decision on Italy's non-compliance with a request for cooperation","opinions":[{"judge":"María del Socorro Flores Liera","kind":"partially_dissenting","doc_ref":"ICC-01/11-209-Anx"}],"occurred":"2025-10-17"}"#,
        ),
        (
            "referral_decision_issued",
            r#"{"proceeding_id":"ita-2025","chamber":"PTC-I","referral":{"referred":"asp_and_unsc"},"occurred":"2026-01-20"}"#,
        ),
        (
            "referral_transmitted",
            r#"{"proceeding_id":"hun-2025","to":"asp","occurred":"2025-07-24","basis":"reg. 109(4)","attributed_to":"court:Presidency"}"#,
        ),
        (
            "procedural_request_filed",
            r#"{"request_id":"mng-reconsideration","kind":"reconsideration","filed_by":"state:MNG","occurred":"2024-12-02","target_decision":"ICC-01/22-111","doc_ref":"ICC-01/22-112","proceeding_id":"mng-2024"}"#,
        ),
        (
            "procedural_request_decided",
            r#"{"request_id":"mng-reconsideration","deciding_body":"PTC-II","outcome":"rejected","occurred":"2025-03-18","doc_ref":"ICC-01/22-123"}"#,
        ),
        (
            "appeal_filed",
            r#"{"appeal_id":"jor-appeal","appellant":"state:JOR","appealed_decision":"ICC-02/05-01/09-309","occurred":"2018-03-12"}"#,
        ),
        (
            "appeal_judgment_delivered",
            r#"{"appeal_id":"jor-appeal","doc_ref":"ICC-02/05-01/09-397","on_finding":"confirmed","on_referral":"reversed","vote":"majority","occurred":"2019-05-06"}"#,
        ),
        (
            "non_compliance_proceeding_closed",
            r#"{"proceeding_id":"jor-2017","reason":"final_decision","occurred":"2019-05-06"}"#,
        ),
        (
            "court_informed_asp",
            r#"{"about":["ICC-01/22-121","ICC-01/22-123"],"occurred":{"not_before":"2025-03-18","not_after":"2025-04-02"},"attributed_to":"court:president"}"#,
        ),
        (
            "asp_session_recorded",
            r#"{"session":24,"place":"The Hague","status":"scheduled","occurred":{"from":"2025-12-01","to":"2025-12-06"}}"#,
        ),
        (
            "asp_resolution_adopted",
            r#"{"symbol":"ICC-ASP/23/Res.1","occurred":"2024-12","paragraphs":[{"no":"34","gist":"takes note of the finding on the non-compliance by Mongolia","refs":["ICC-01/22-90","ICC-01/22-111"]}]}"#,
        ),
        (
            "mandate_allocated",
            r#"{"meeting":"2025-2","mandate":"non-cooperation","holder":"ad_country_focal_points","base":"new_york","occurred":"2025-01-15","sources":[{"doc":"bureau:2025-2","footnote":18}]}"#,
        ),
        (
            "focal_point_appointed",
            r#"{"state":"POL","region_group":"eastern_european","meeting":"2024-5","occurred":{"not_before":"2024-05-01","not_after":"2024-05-08"},"acknowledged_anomalies":["E_MEETING_DATE_MISMATCH"]}"#,
        ),
        (
            "focal_point_mandate_confirmed",
            r#"{"states":["MEX","SLE","VUT","POL"],"meeting":"2025-2","occurred":"2025-01-15","president_ex_officio":true}"#,
        ),
        (
            "asp_president_term_recorded",
            r#"{"person":"kaukoranta-paivi","state":"FIN","occurred":"2023-12","ends":"2026"}"#,
        ),
        (
            "focal_points_activated",
            r#"{"episode_id":"tjk-putin-2025","person":"putin-vladimir","state":"TJK","occurred":{"not_after":"2025-10-08"},"includes_president_good_offices":true,"track":"informal"}"#,
        ),
        (
            "focal_points_communication_issued",
            r#"{"audience":"all_states_parties","kinds":["message"],"occasion":"UNGA High-Level Week","recalls":[{"doc":"ICC-ASP/23/Res.5","para":"8"}],"occurred":"2025-09-26"}"#,
        ),
        (
            "asp_president_letter_sent",
            r#"{"letter_id":"hun-2025-03-31","state":"HUN","to_office":"Minister of Foreign Affairs and Trade","track":"informal","purpose":"pre_visit_reminder","person":"netanyahu-benjamin","recalls":[{"provision":"art. 86"},{"provision":"art. 89(1)"}],"occurred":"2025-03-31"}"#,
        ),
        (
            "asp_president_letter_published",
            r#"{"letter_id":"hun-2025-03-31","occurred":"2025-04-03","channel":"X account @PASPKaukoranta","provenance":{"inferred":{"rule":"published once the visit had commenced: the first day of the visit","from":[{"seq":23,"hash":"@H"}]}},"confidence":"medium"}"#,
        ),
        (
            "state_reply_received",
            r#"{"state":"HUN","asp_matter_id":"hun-2025","occurred":"2025-09-03","summary":"Reiterated its position before Pre-Trial Chamber I."}"#,
        ),
        (
            "bureau_meeting_held",
            r#"{"meeting":"2025-13","occurred":"2025-09-03","decisions_doc":"bureau:2025-13","place":"New York"}"#,
        ),
        (
            "bureau_took_note",
            r#"{"occurred":"2024-04-02","of_documents":["ICC-01/22-121","ICC-01/22-123"],"informed_by":"court:president","acknowledged_anomalies":["E_DATE_ORDER"],"sources":[{"doc":"job:33-E-261125","para":"36","published_text":"On 2 April 2024, the Bureau took note of the decisions of the Pre-Trial Chamber dated 10 March and 18 March 2025"}]}"#,
        ),
        (
            "asp_matter_opened",
            r#"{"asp_matter_id":"hun-2025","state":"HUN","trigger":{"court_referral":{"proceeding_id":"hun-2025"}},"occurred":"2025-07-24"}"#,
        ),
        (
            "bureau_considered_referral",
            r#"{"asp_matter_id":"hun-2025","state":"HUN","meeting":"2025-13","state_heard":true,"procedures_para":"procedures para. 14(c)","outcome":"took note; to be addressed at the twenty-fourth session","occurred":"2025-09-03"}"#,
        ),
        (
            "emergency_bureau_meeting_convened",
            r#"{"asp_matter_id":"example-urgent","occurred":"2016-05-10"}"#,
        ),
        (
            "asp_plenary_scheduled",
            r#"{"topic":"non-cooperation","scheduled_for":"2025-12-03","session":24,"focus":"prevention of non-cooperation through article 97 consultations","occurred":"unknown"}"#,
        ),
        (
            "asp_plenary_held",
            r#"{"topic":"non-cooperation","session":23,"occurred":"2024-12-04"}"#,
        ),
        (
            "focal_points_meeting_held",
            r#"{"kind":"facilitation_briefing","counterpart":"Cooperation facilitation","virtual":true,"occurred":"2025-07-03"}"#,
        ),
        (
            "bureau_report_issued",
            r#"{"report":"job:33-E-261125","session":24,"period":{"from":"2024-12-07","to":"2025-11-26"},"occurred":"2025-11-26"}"#,
        ),
        (
            "public_statement_issued",
            r#"{"by":"asp:president","subject":"the importance of executing arrest warrants","occurred":{"from":"2025-01-01","to":"2025-11-26"}}"#,
        ),
        (
            "prosecutor_unsc_briefing_delivered",
            r#"{"resolution":"S/RES/1593 (2005)","ordinal":40,"occurred":"2025-01-27","appeals":["transfer of Ahmed Harun"],"persons":["harun-ahmed"],"doc_ref":"doc:otp-unsc-1593-40"}"#,
        ),
        (
            "unsc_action_recorded",
            r#"{"kind":"no_action","occurred":"2025"}"#,
        ),
    ]
}
