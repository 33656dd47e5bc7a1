//! E-mail leaving the paper: a newsletter message as inboxes require it ([`message`]), signed
//! with DKIM when the operator gives a key ([`dkim`]), and the
//! SMTP client ([`smtp`]) that the newsletter sender will use (issue 17). The client is
//! Dateline's own because a sending queue that is to send each
//! message exactly once needs a moment no general-purpose client offers: when the whole
//! message has been written but the relay has not been told it is complete (the final `.` of
//! DATA). The queue marks the message sent at that moment; a crash before it leaves the relay
//! with an unfinished message it discards (and the queue sends it again), a crash after it
//! leaves a delivered message marked sent. Only the few bytes of the `.` lie between.

pub mod dkim;
pub mod message;
pub mod smtp;
