//! Turns Nagle's algorithm off on the PostgreSQL pool's sockets.
//!
//! sqlx 0.9.0 stopped setting TCP_NODELAY (transact-rs/sqlx#4335; fixed upstream by #4336,
//! not released when this was written). Without it a statement whose message needs more than
//! one TCP segment waits for the server's delayed ACK — 40 ms — before its last segment
//! leaves: a publication to 1,000 outlets took 243 ms over TCP and 97 ms over a Unix socket.
//! sqlx gives no access to its socket, so right after each connection is made (the pool's
//! `after_connect`), this finds the process's TCP sockets to the database's port and sets the
//! option on them; doing it twice on a socket is harmless. Remove once sqlx sets it again.

/// Sets TCP_NODELAY on every socket of this process connected to `port`.
#[cfg(target_os = "linux")]
pub(crate) fn set_on_sockets_to(port: u16) {
    use std::os::fd::BorrowedFd;
    let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
        return;
    };
    for entry in dir.flatten() {
        let Some(raw) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<i32>().ok())
        else {
            continue;
        };
        let is_socket = std::fs::read_link(entry.path())
            .is_ok_and(|t| t.to_string_lossy().starts_with("socket:"));
        if !is_socket {
            continue;
        }
        // SAFETY: the descriptor is only borrowed for two system calls. If another thread
        // closed it in between and the number was reused, the calls act on (or fail on) that
        // other descriptor: reading a peer address and setting TCP_NODELAY harm no socket.
        let fd = unsafe { BorrowedFd::borrow_raw(raw) };
        let sock = socket2::SockRef::from(&fd);
        let to_db = sock
            .peer_addr()
            .ok()
            .and_then(|a| a.as_socket())
            .is_some_and(|a| a.port() == port);
        if to_db {
            let _ = sock.set_tcp_nodelay(true);
        }
    }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn set_on_sockets_to(_port: u16) {}
