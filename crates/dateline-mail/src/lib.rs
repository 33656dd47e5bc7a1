//! E-mail leaving the paper: a newsletter message as inboxes require it ([`message`]), signed
//! with DKIM when the operator gives a key ([`dkim`]), and the
//! SMTP client ([`smtp`]) that the newsletter sender uses (issue 17). The client is
//! Dateline's own because a sending queue that must never send a message twice, and should
//! lose none, needs a moment no general-purpose client offers: when the whole message has
//! been written but the relay has not been told it is complete (the final `.` of DATA). The
//! queue marks the message sent at that moment; a crash before it leaves the relay with an
//! unfinished message it discards (and the queue sends it again), a crash after the `.` leaves
//! a delivered message marked sent. Only a crash in the instant between the mark's commit and
//! the `.` loses a message (one per connection at most): plain SMTP has no way to make the
//! relay's acceptance and the database's commit one act, and the queue chooses losing that
//! one over sending it twice.

pub mod dkim;
pub mod message;
pub mod smtp;
