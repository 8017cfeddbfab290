//! The byte-level faults of the matrix (reset after sending, a dripping
//! body, connection refused, a redirect) each followed by recovery: once
//! the fault clears, the same client works again, and the attempts made
//! are exactly those the retry policy allows.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use brevo_users::brevo::{ApiError, Client};
use secrecy::SecretString;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{client_for, read_request_head};

const HEALTHY: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 12\r\nconnection: close\r\n\r\n{\"users\":[]}";

/// How a faulty connection misbehaves.
#[derive(Clone, Copy)]
enum Fault {
    /// Reads the request, then drops the connection without a word.
    ResetAfterRequest,
    /// Starts a 200 answer, then sends one byte every 50 ms, forever.
    Drip,
}

/// Serves `faulty` connections with the fault, every later one healthily;
/// counts connections.
async fn faulty_then_healthy(fault: Fault, faulty: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v3", listener.local_addr().unwrap());
    (base, serve(listener, fault, faulty))
}

fn serve(listener: TcpListener, fault: Fault, faulty: usize) -> Arc<AtomicUsize> {
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(answer(stream, (n < faulty).then_some(fault)));
        }
    });
    connections
}

async fn answer(mut stream: TcpStream, fault: Option<Fault>) {
    read_request_head(&mut stream).await;
    match fault {
        Some(Fault::ResetAfterRequest) => drop(stream),
        Some(Fault::Drip) => {
            let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
            if stream.write_all(head).await.is_err() {
                return;
            }
            let mut interval = tokio::time::interval(Duration::from_millis(50));
            loop {
                interval.tick().await;
                if stream.write_all(b" ").await.is_err() {
                    return;
                }
            }
        }
        None => {
            let _ = stream.write_all(HEALTHY).await;
        }
    }
}

fn one_attempt(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .api_key(SecretString::from("k"))
        .request_timeout(Duration::from_millis(300))
        .max_attempts(1)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_read_reset_after_sending_is_retried_and_recovers() {
    let (base, connections) = faulty_then_healthy(Fault::ResetAfterRequest, 1).await;
    let users = client_for(&base)
        .list_users()
        .await
        .expect("the retry succeeds");
    assert!(users.is_empty());
    assert_eq!(
        connections.load(Ordering::SeqCst),
        2,
        "one failed attempt, one retry"
    );
}

#[tokio::test]
async fn a_change_reset_after_sending_is_not_retried_and_the_next_call_works() {
    let (base, connections) = faulty_then_healthy(Fault::ResetAfterRequest, 1).await;
    let client = client_for(&base);
    let error = client.revoke("ops@acme.test").await.unwrap_err();
    assert!(
        matches!(error, ApiError::Network { .. }) && error.is_unclear(),
        "{error:?}"
    );
    assert_eq!(
        connections.load(Ordering::SeqCst),
        1,
        "never resent on its own"
    );
    client.list_users().await.expect("the fault has cleared");
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn after_a_dripping_body_times_out_the_next_call_works() {
    let (base, connections) = faulty_then_healthy(Fault::Drip, 1).await;
    let client = one_attempt(&base);
    let error = client.list_users().await.unwrap_err();
    assert!(matches!(error, ApiError::Timeout { .. }), "{error:?}");
    client.list_users().await.expect("the fault has cleared");
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn once_the_server_is_back_a_refused_connection_recovers() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = one_attempt(&format!("http://{address}/v3"));
    let error = client.list_users().await.unwrap_err();
    assert!(matches!(error, ApiError::Connect { .. }), "{error:?}");
    // The same port, listening again: the server came back.
    let listener = TcpListener::bind(address)
        .await
        .expect("the port is free again");
    let connections = serve(listener, Fault::Drip, 0);
    client.list_users().await.expect("the server is back");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn after_a_redirect_the_next_call_works_and_the_target_saw_nothing() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(path("/v3/organization/invited/users"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("location", elsewhere.uri().as_str()),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/v3/organization/invited/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"users": []})))
        .mount(&server)
        .await;
    let client = client_for(&format!("{}/v3", server.uri()));
    assert!(matches!(
        client.list_users().await,
        Err(ApiError::Redirect { .. })
    ));
    client.list_users().await.expect("the fault has cleared");
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        2,
        "a redirect is not retried"
    );
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}
