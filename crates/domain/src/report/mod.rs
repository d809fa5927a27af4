//! PLACEHOLDER (replaced by the report module being written): the report's entry points.
#![allow(missing_docs)]

use chrono::NaiveDate;

use crate::model::Model;
use crate::source::EntryRef;

#[derive(Debug)]
pub struct ReportParams {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub session: Option<u16>,
    pub origin: String,
    pub head: Option<EntryRef>,
    pub size: u64,
}

#[derive(Debug)]
pub struct Report;

pub fn build(_model: &Model, _params: &ReportParams) -> Report {
    Report
}
pub fn to_markdown(_r: &Report) -> String {
    String::new()
}
pub fn to_html(_r: &Report) -> String {
    String::new()
}
pub fn to_json(_r: &Report) -> String {
    String::new()
}
