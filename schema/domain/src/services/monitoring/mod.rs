//! Monitoring what the press made of releases (issue 20): outlets' own feeds are polled
//! ([`poll`], [`fetch`], [`parse`]), their articles stored and searched ([`articles`]), and
//! matched to the releases they carried ([`pickups`], by link or by [`similarity`]), which
//! is a release's spread; a unit named far more often than usual raises an alert
//! ([`alerts`]).
pub mod alerts;
pub mod articles;
pub mod fetch;
pub mod parse;
pub mod pickups;
pub mod poll;
pub mod press_reports;
pub mod similarity;
pub mod sources;
