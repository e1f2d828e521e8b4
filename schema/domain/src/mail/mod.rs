//! E-mail, as loco does it: the queued message is plain data (`message`); what it needs is
//! loaded for it (`load`); rendering from templates (`render`, `templates/`) touches no
//! database; `sender` speaks SMTP through one pooled transport; `ical` makes invitations.
pub mod ical;
pub mod load;
pub mod message;
pub mod render;
pub mod sender;
