//! The e-mail channel: rendering messages from templates, iCalendar invitations, and sending
//! through one pooled SMTP transport.
pub mod ical;
pub mod render;
pub mod sender;
