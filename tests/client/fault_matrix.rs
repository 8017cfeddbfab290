//! The fault matrix: every fault a real network and a real Brevo can throw
//! at the client, each with the error it must become, the number of
//! attempts it may cost (the mock's request log counts them), and recovery
//! once the fault clears.

use std::time::Duration;

use brevo_users::brevo::{AccessRequest, ApiError, Client, ErrorBody, Grants};
use brevo_users::mock::{Fault, FaultKind, MockOptions, MockServer};
use secrecy::SecretString;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

const LIST: &str = "/organization/invited/users";
const INVITE: &str = "/organization/user/invitation/send";

fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .api_key(SecretString::from("k"))
        .request_timeout(Duration::from_millis(250))
        .backoff_base(Duration::from_millis(2))
        .max_backoff(Duration::from_millis(10))
        .build()
        .unwrap()
}

struct Case {
    name: &'static str,
    fault: Fault,
    /// Whether the call is a change (an invite) rather than a read.
    change: bool,
    expect: fn(&ApiError) -> bool,
    attempts: u64,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "401 mid-session",
            fault: Fault::error(401, "unauthorized", "Key not found").on("GET", LIST),
            change: false,
            expect: |e| matches!(e, ApiError::Unauthorized { .. }),
            attempts: 1,
        },
        Case {
            name: "403 on an invite",
            fault: Fault::error(403, "permission_denied", "Not allowed").on("POST", INVITE),
            change: true,
            expect: |e| matches!(e, ApiError::Forbidden { .. }),
            attempts: 1,
        },
        Case {
            name: "429 with a one-hour reset",
            fault: Fault::error(429, "too_many_requests", "Too many requests").on("GET", LIST),
            change: false,
            expect: |e| matches!(e, ApiError::RateLimited { reset_after: Some(r), .. } if *r > Duration::from_secs(60)),
            attempts: 1,
        },
        Case {
            name: "500 then success on a read",
            fault: Fault::error(500, "internal_error", "boom").on("GET", LIST),
            change: false,
            expect: |_| false, // recovers within the call: see `attempts`
            attempts: 2,
        },
        Case {
            name: "502 with an HTML body, every attempt",
            fault: Fault::new(FaultKind::Html { status: 502 })
                .times(3)
                .on("GET", LIST),
            change: false,
            expect: |e| {
                matches!(
                    e,
                    ApiError::Server {
                        status: 502,
                        message: ErrorBody::HtmlPage,
                        ..
                    }
                )
            },
            attempts: 3,
        },
        Case {
            name: "500 on an invite is not resent",
            fault: Fault::error(500, "internal_error", "boom").on("POST", INVITE),
            change: true,
            expect: |e| matches!(e, ApiError::Server { status: 500, .. }) && e.is_unclear(),
            attempts: 1,
        },
        Case {
            name: "truncated JSON",
            fault: Fault::new(FaultKind::MalformedJson { status: 200 }).on("GET", LIST),
            change: false,
            expect: |e| matches!(e, ApiError::Decode { .. }),
            attempts: 1,
        },
        Case {
            name: "a stall on every attempt of a read",
            fault: Fault::new(FaultKind::Stall).times(3).on("GET", LIST),
            change: false,
            expect: |e| matches!(e, ApiError::Timeout { .. }),
            attempts: 3,
        },
        Case {
            name: "a stall on an invite",
            fault: Fault::new(FaultKind::Stall).on("POST", INVITE),
            change: true,
            expect: |e| matches!(e, ApiError::Timeout { .. }) && e.is_unclear(),
            attempts: 1,
        },
    ]
}

#[tokio::test]
async fn every_fault_gives_the_right_error_the_right_attempts_and_recovers() {
    for (n, case) in cases().into_iter().enumerate() {
        let server = MockServer::start(MockOptions::default()).await.unwrap();
        let control = server.control();
        let client = client(&server.base_url());
        let (method, route) = if case.change {
            ("POST", INVITE)
        } else {
            ("GET", LIST)
        };
        let invite = AccessRequest::invite(format!("fault{n}@acme.test"), true, Grants::new());
        control.add_fault(case.fault);

        let outcome = if case.change {
            client.invite(&invite).await.map(|_| ())
        } else {
            client.list_users().await.map(|_| ())
        };
        match &outcome {
            Ok(()) => assert_eq!(
                case.name, "500 then success on a read",
                "{}: unexpected success",
                case.name
            ),
            Err(error) => assert!((case.expect)(error), "{}: wrong error {error:?}", case.name),
        }
        assert_eq!(
            control.request_log().count(method, route),
            case.attempts,
            "{}: attempts",
            case.name
        );

        control.clear_faults();
        let recovered = if case.change {
            // After an unclear failure the invitation may exist already.
            client
                .invite(&AccessRequest::invite(
                    format!("again{n}@acme.test"),
                    true,
                    Grants::new(),
                ))
                .await
                .map(|_| ())
        } else {
            client.list_users().await.map(|_| ())
        };
        assert!(
            recovered.is_ok(),
            "{}: no recovery: {recovered:?}",
            case.name
        );
        server.shutdown().await;
    }
}

#[tokio::test]
async fn a_body_that_drips_slower_than_the_deadline_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v3", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = [0u8; 2048];
                let _ = tokio::io::AsyncReadExt::read(&mut stream, &mut head).await;
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"users\":[").await;
                // One byte every 50 ms: each arrives well within any read
                // timeout, the whole body never within the deadline.
                let mut interval = tokio::time::interval(Duration::from_millis(50));
                loop {
                    interval.tick().await;
                    if stream.write_all(b" ").await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    let client = Client::builder()
        .base_url(base)
        .api_key(SecretString::from("k"))
        .request_timeout(Duration::from_millis(300))
        .max_attempts(1)
        .build()
        .unwrap();
    let error = client.list_users().await.unwrap_err();
    assert!(matches!(error, ApiError::Timeout { .. }), "{error:?}");
}
