//! Clients that hold on to the mock: a request that never ends its header
//! (slowloris), idle connections, more connections than the cap, and a stop
//! while connections are open.

use super::*;

use brevo_users::mock::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn with_limits(limits: Limits) -> Api {
    start(MockOptions {
        limits,
        ..MockOptions::default()
    })
    .await
}

async fn connect(api: &Api) -> TcpStream {
    TcpStream::connect(api.server.addr())
        .await
        .expect("a connection to 127.0.0.1")
}

/// Reads until the server closes the connection, and returns what it sent;
/// panics if it is still open at the deadline.
async fn closed_within(stream: &mut TcpStream, deadline: Duration) -> String {
    let mut received = Vec::new();
    let read = tokio::time::timeout(deadline, async {
        let mut buffer = [0u8; 1024];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    assert!(
        read.is_ok(),
        "the connection is still open after {deadline:?}"
    );
    String::from_utf8_lossy(&received).into_owned()
}

#[tokio::test]
async fn a_request_that_never_finishes_its_header_is_closed() {
    let api = with_limits(Limits {
        read_timeout: Duration::from_millis(300),
        ..Limits::default()
    })
    .await;
    let started = Instant::now();
    let mut partial = connect(&api).await;
    partial
        .write_all(
            b"GET /v3/organization/invited/users HTTP/1.1\r\nHost: 127.0.0.1\r\napi-key: k\r\n",
        )
        .await
        .expect("a partial request");
    let mut silent = connect(&api).await;
    closed_within(&mut partial, Duration::from_secs(10)).await;
    closed_within(&mut silent, Duration::from_secs(10)).await;
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "closed by the timeout, not at once"
    );
    // A client that sends its request in time is served as always.
    assert_eq!(api.get(LIST).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_body_that_never_arrives_is_answered_408() {
    let api = with_limits(Limits {
        read_timeout: Duration::from_millis(300),
        ..Limits::default()
    })
    .await;
    let mut slow = connect(&api).await;
    slow.write_all(
        b"POST /v3/organization/user/invitation/send HTTP/1.1\r\nHost: 127.0.0.1\r\n\
          api-key: k\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"em",
    )
    .await
    .expect("a partial body");
    let answer = closed_within(&mut slow, Duration::from_secs(10)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request_timeout"), "{answer}");
}

#[tokio::test]
async fn connections_past_the_cap_are_closed_at_once() {
    let api = with_limits(Limits {
        max_connections: 3,
        ..Limits::default()
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(connect(&api).await);
    }
    // Accepted in order: the fourth finds the three slots taken.
    let mut extra = connect(&api).await;
    let answer = closed_within(&mut extra, Duration::from_secs(10)).await;
    assert!(answer.is_empty(), "{answer}");

    // A slot that frees up serves again (retried: the close takes a moment
    // to reach the server).
    drop(held.pop());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let fresh = http();
        let reply = fresh.get(api.url(LIST)).header("api-key", KEY).send().await;
        if reply.is_ok_and(|r| r.status() == StatusCode::OK) {
            break;
        }
        assert!(Instant::now() < deadline, "no slot freed up");
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn shutdown_cuts_a_connection_that_never_finishes_its_request() {
    let api = with_limits(Limits {
        shutdown_grace: Duration::from_millis(200),
        ..Limits::default()
    })
    .await;
    let mut slow = connect(&api).await;
    slow.write_all(
        b"POST /v3/organization/user/invitation/send HTTP/1.1\r\nHost: 127.0.0.1\r\n\
          api-key: k\r\ncontent-length: 100\r\n\r\n{",
    )
    .await
    .expect("a partial body");
    let mut idle = connect(&api).await;
    // An answered request on a third connection: the others are in by now.
    assert_eq!(api.get(LIST).await.status, StatusCode::OK);
    let Api { server, .. } = api;
    tokio::time::timeout(Duration::from_secs(10), server.shutdown())
        .await
        .expect("shutdown does not wait for the slow client");
    closed_within(&mut slow, Duration::from_secs(10)).await;
    closed_within(&mut idle, Duration::from_secs(10)).await;
}

#[cfg(unix)]
#[tokio::test]
async fn sigterm_stops_the_binary_with_connections_open() {
    use tokio::io::{AsyncBufReadExt, BufReader};

    let home = tempfile::tempdir().expect("a temp HOME");
    let mut child = binary(&[], home.path()).spawn().expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut base = String::new();
    tokio::time::timeout(
        Duration::from_secs(30),
        BufReader::new(stdout).read_line(&mut base),
    )
    .await
    .expect("a first line in time")
    .expect("readable stdout");
    let base = base.trim().to_owned();
    let addr = base
        .trim_start_matches("http://")
        .trim_end_matches("/v3")
        .to_owned();
    let mut slow = TcpStream::connect(&addr).await.expect("a connection");
    slow.write_all(
        b"POST /v3/organization/user/invitation/send HTTP/1.1\r\nHost: 127.0.0.1\r\n\
          api-key: k\r\ncontent-length: 100\r\n\r\n{",
    )
    .await
    .expect("a partial body");
    let mut partial = TcpStream::connect(&addr).await.expect("a connection");
    partial
        .write_all(b"GET /v3/organization/invited/users HTTP/1.1\r\n")
        .await
        .expect("a partial header");
    let _idle = TcpStream::connect(&addr).await.expect("a connection");
    let answered = http()
        .get(format!("{base}{LIST}"))
        .header("api-key", KEY)
        .send()
        .await
        .expect("an answer");
    assert_eq!(answered.status(), StatusCode::OK);

    let pid = child.id().expect("a running child").to_string();
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let status = tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .expect("the mock exits although connections are open")
        .expect("an exit status");
    assert!(status.success(), "{status:?}");
    closed_within(&mut slow, Duration::from_secs(10)).await;
    closed_within(&mut partial, Duration::from_secs(10)).await;
}
