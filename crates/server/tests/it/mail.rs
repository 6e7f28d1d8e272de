//! Transactional e-mail end to end: mail queued through the use case in a transaction, the
//! outbox worker run once, and what a real SMTP server received read back. The server is
//! Debian's `python3-aiosmtpd` with a small handler that decodes each message (MIME and all)
//! into a JSON file, so the tests compare plain subjects and bodies. Without aiosmtpd the
//! tests that need it are skipped with a note, unless `BURSAR_TEST_REQUIRE_SMTP=1` (CI).

use crate::harness::{DbGuard, fresh_store, on_postgres};
use bursar_app::mail::{self, Enqueued, MailFate, MailTemplate, OutgoingMail};
use bursar_app::ports::{MailId, MailRecord, MailStatus, Mailer};
use bursar_app::{App, Clock, ManualClock, Policy, Store};
use bursar_domain::identity::{DisplayName, Email, Login};
use bursar_domain::{ClientId, Locale};
use bursar_jobs::{MailWorker, Report, SmtpMailer, SmtpSettings, WorkerConfig};
use bursar_store::SqlStore;
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Once};
use std::time::Duration;

const FROM: &str = "Bursar Billing <billing@bursar.test>";
const PUBLIC_URL: &str = "https://billing.example";

/// The SMTP sink: accepts every message (except to `nobody@…`, refused for good with 550),
/// writes it decoded (line ends back to `\n`) to `<dir>/<n>.json` before answering 250, and exits by itself after two
/// minutes should the test process die without stopping it.
const SINK_PY: &str = r#"
import email, email.policy, json, os, sys, time
from aiosmtpd.controller import Controller

port, out = int(sys.argv[1]), sys.argv[2]
count = 0

class Sink:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        global count
        count += 1
        msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                       policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(msg["From"]),
            "to": str(msg["To"]),
            "subject": str(msg["Subject"]),
            "message_id": str(msg["Message-ID"]),
            "content_type": msg.get_content_type(),
            "body": body.get_content().replace("\r\n", "\n") if body is not None else "",
            "attachments": [
                {"filename": part.get_filename(), "content_type": part.get_content_type(),
                 "starts": part.get_content()[:5].decode("latin-1")}
                for part in msg.iter_attachments()
            ],
        }
        tmp = os.path.join(out, "%06d.tmp" % count)
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(tmp, os.path.join(out, "%06d.json" % count))
        return "250 OK"

controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
open(os.path.join(out, "ready"), "w").close()
try:
    time.sleep(120)
finally:
    controller.stop()
"#;

static NOTE: Once = Once::new();

/// A Python interpreter that has aiosmtpd, or `None` with a note: `BURSAR_TEST_PYTHON` when
/// set, else the system Python (where Debian's package lives, and which a version manager's
/// `python3` on PATH may shadow), else `python3`.
fn smtp_python() -> Option<String> {
    let candidates = match std::env::var("BURSAR_TEST_PYTHON") {
        Ok(py) if !py.is_empty() => vec![py],
        _ => vec!["/usr/bin/python3".to_owned(), "python3".to_owned()],
    };
    let found = candidates.into_iter().find(|py| {
        Command::new(py)
            .args(["-c", "import aiosmtpd.controller"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    });
    if found.is_none() {
        if std::env::var("BURSAR_TEST_REQUIRE_SMTP").is_ok_and(|v| v == "1") {
            panic!(
                "BURSAR_TEST_REQUIRE_SMTP=1 but no python3 with aiosmtpd (apt-get install python3-aiosmtpd)"
            );
        }
        NOTE.call_once(|| {
            // Written straight to the terminal: libtest captures only print!/eprint!.
            let _ = std::io::stderr().write_all(
                b"note: mail tests that need an SMTP server are SKIPPED: no python3 with aiosmtpd (apt-get install python3-aiosmtpd)\n",
            );
        });
    }
    found
}

/// A port nothing listens on (for a moment).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A running SMTP sink; killed when dropped.
struct Sink {
    child: Child,
    dir: tempfile::TempDir,
}

impl Sink {
    async fn start(python: &str, port: u16) -> Sink {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("sink.py");
        std::fs::write(&script, SINK_PY).unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        let child = Command::new(python)
            .arg(&script)
            .arg(port.to_string())
            .arg(&out)
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let sink = Sink { child, dir };
        for _ in 0..200 {
            if sink.out().join("ready").exists() {
                return sink;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the SMTP sink did not start on port {port}");
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// Every message received so far, in arrival order.
    fn messages(&self) -> Vec<Value> {
        let mut files: Vec<_> = std::fs::read_dir(self.out())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Env {
    app: App,
    store: SqlStore,
    clock: Arc<ManualClock>,
    _db: DbGuard,
}

async fn env() -> Env {
    let (store, db) = fresh_store().await;
    // Whole seconds, so instants read back (stored to the microsecond) compare exactly.
    let start = Timestamp::from_second(Timestamp::now().as_second()).unwrap();
    let clock = Arc::new(ManualClock::new(start));
    let policy = Policy {
        public_url: PUBLIC_URL.to_owned(),
        ..Policy::default()
    };
    let app = App::new(Arc::new(store.clone()), clock.clone(), policy);
    Env {
        app,
        store,
        clock,
        _db: db,
    }
}

impl Env {
    fn worker_to(&self, port: u16) -> MailWorker {
        let settings = SmtpSettings::new(
            "127.0.0.1",
            Some(port),
            None,
            None,
            Some("none"),
            Some(FROM),
        )
        .unwrap();
        let mailer: Arc<dyn Mailer> = Arc::new(SmtpMailer::new(&settings).unwrap());
        MailWorker::new(self.app.clone(), Some(mailer), WorkerConfig::default())
    }

    /// Queues in a transaction of its own and commits.
    async fn queue(&self, mail: OutgoingMail) -> Enqueued {
        let mut tx = self.store.write().await.unwrap();
        let queued = mail::enqueue(tx.as_mut(), self.clock.now(), mail)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        queued
    }

    async fn mail(&self, id: MailId) -> Option<MailRecord> {
        let mut tx = self.store.read().await.unwrap();
        let mail = tx.mail_by_id(id).await.unwrap();
        tx.commit().await.unwrap();
        mail
    }
}

fn queued(e: Enqueued) -> MailId {
    match e {
        Enqueued::Queued(id) => id,
        Enqueued::Duplicate => panic!("expected the mail to be queued"),
    }
}

fn email(s: &str) -> Email {
    Email::parse("email", s).unwrap()
}

fn name(s: &str) -> DisplayName {
    DisplayName::parse("name", s).unwrap()
}

fn registration(app: &App, to: &str, locale: Locale) -> OutgoingMail {
    let login = to.split('@').next().unwrap();
    OutgoingMail::new(
        email(to),
        locale,
        MailTemplate::Registration {
            login: Login::parse("login", login).unwrap(),
            panel_url: app.public_link("/client"),
        },
    )
}

#[tokio::test]
async fn queued_mail_is_delivered_in_the_recipients_language() {
    let Some(python) = smtp_python() else { return };
    let t = env().await;
    let port = free_port();
    let sink = Sink::start(&python, port).await;
    let client = ClientId::new();

    let en = queued(
        t.queue(
            registration(&t.app, "jane@example.com", Locale::En)
                .to_name(name("Jane Cooper"))
                .for_client(client),
        )
        .await,
    );
    let message = MailTemplate::client_message(
        name("Служба поддержки"),
        "Плановые работы",
        "Сервер будет перезагружен ночью.\r\nПриносим извинения.",
        t.app.public_link("/client"),
    )
    .unwrap();
    let ru = queued(
        t.queue(
            OutgoingMail::new(email("ivan@example.com"), Locale::Ru, message)
                .to_name(name("Иван Петров")),
        )
        .await,
    );

    let report = t.worker_to(port).run_once().await.unwrap();
    assert_eq!((report.claimed, report.sent), (2, 2), "{report:?}");

    let got = sink.messages();
    assert_eq!(got.len(), 2, "{got:#?}");
    let to = |addr: &str| {
        got.iter()
            .find(|m| m["rcpt_tos"] == serde_json::json!([addr]))
            .unwrap_or_else(|| panic!("nothing arrived for {addr}: {got:#?}"))
    };
    let jane = to("jane@example.com");
    assert_eq!(jane["subject"], "Your account is ready");
    assert_eq!(jane["mail_from"], "billing@bursar.test");
    assert_eq!(jane["from"], "Bursar Billing <billing@bursar.test>");
    assert_eq!(jane["to"], "Jane Cooper <jane@example.com>");
    assert_eq!(jane["content_type"], "text/plain");
    assert_eq!(jane["message_id"], format!("<{en}@bursar.test>"));
    let body = jane["body"].as_str().unwrap();
    assert!(body.starts_with("Hello, Jane Cooper!"), "{body}");
    assert!(body.contains("Login: jane"), "{body}");
    assert!(body.contains("https://billing.example/client"), "{body}");

    let ivan = to("ivan@example.com");
    assert_eq!(ivan["subject"], "Плановые работы");
    assert_eq!(ivan["to"], "Иван Петров <ivan@example.com>");
    let body = ivan["body"].as_str().unwrap();
    assert!(body.starts_with("Здравствуйте, Иван Петров!"), "{body}");
    assert!(
        body.contains("Сервер будет перезагружен ночью.\nПриносим извинения."),
        "{body}"
    );
    assert!(body.contains("Служба поддержки"), "{body}");
    assert!(
        body.contains("Личный кабинет: https://billing.example/client"),
        "{body}"
    );

    let row = t.mail(en).await.unwrap();
    assert_eq!(row.status, MailStatus::Sent);
    assert_eq!(row.attempts, 1);
    assert_eq!(row.sent_at, Some(t.clock.now()));
    assert_eq!(row.leased_until, None);
    assert_eq!(row.client_id, Some(client));
    assert_eq!(row.template, "registration");
    assert_eq!(row.params["login"], "jane");
    assert_eq!(t.mail(ru).await.unwrap().locale, Locale::Ru);

    // Nothing is sent twice.
    let again = t.worker_to(port).run_once().await.unwrap();
    assert_eq!(again, Report::default());
    assert_eq!(sink.messages().len(), 2);
}

#[tokio::test]
async fn a_failed_delivery_is_retried_with_backoff_until_the_server_answers() {
    let Some(python) = smtp_python() else { return };
    let t = env().await;
    let port = free_port(); // nothing listens yet
    let worker = t.worker_to(port);
    let id = queued(
        t.queue(registration(&t.app, "jane@example.com", Locale::En))
            .await,
    );

    let first = worker.run_once().await.unwrap();
    assert_eq!((first.claimed, first.retried), (1, 1), "{first:?}");
    let row = t.mail(id).await.unwrap();
    assert_eq!(row.status, MailStatus::Pending);
    assert_eq!(row.attempts, 1);
    assert_eq!(
        row.next_attempt_at,
        t.clock.now() + SignedDuration::from_mins(1)
    );
    assert_eq!(row.leased_until, None);
    assert!(
        row.last_error.as_deref().is_some_and(|e| !e.is_empty()),
        "{row:?}"
    );

    // Not due before the back-off has passed.
    assert_eq!(worker.run_once().await.unwrap().claimed, 0);
    t.clock.advance(SignedDuration::from_secs(59));
    assert_eq!(worker.run_once().await.unwrap().claimed, 0);

    // Second failure: the wait grows.
    t.clock.advance(SignedDuration::from_secs(1));
    assert_eq!(worker.run_once().await.unwrap().retried, 1);
    let row = t.mail(id).await.unwrap();
    assert_eq!(row.attempts, 2);
    assert_eq!(
        row.next_attempt_at,
        t.clock.now() + SignedDuration::from_mins(5)
    );

    // The server comes up; the next attempt goes through.
    let sink = Sink::start(&python, port).await;
    t.clock.advance(SignedDuration::from_mins(5));
    let report = worker.run_once().await.unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let got = sink.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["subject"], "Your account is ready");
    let row = t.mail(id).await.unwrap();
    assert_eq!(row.status, MailStatus::Sent);
    assert_eq!(row.attempts, 3);
}

#[tokio::test]
async fn a_mail_that_keeps_failing_is_given_up_after_the_last_retry() {
    let t = env().await;
    let worker = t.worker_to(free_port());
    let id = queued(
        t.queue(registration(&t.app, "jane@example.com", Locale::En))
            .await,
    );
    for attempt in 1..=5 {
        let report = worker.run_once().await.unwrap();
        assert_eq!(report.retried, 1, "attempt {attempt}: {report:?}");
        t.clock.advance(SignedDuration::from_hours(12));
    }
    let last = worker.run_once().await.unwrap();
    assert_eq!(last.gave_up, 1, "{last:?}");
    let row = t.mail(id).await.unwrap();
    assert_eq!(row.status, MailStatus::Failed);
    assert_eq!(row.attempts, 6);
    assert!(row.last_error.is_some());
    t.clock.advance(SignedDuration::from_hours(48));
    assert_eq!(worker.run_once().await.unwrap().claimed, 0);
}

#[tokio::test]
async fn a_permanent_refusal_is_not_retried() {
    let Some(python) = smtp_python() else { return };
    let t = env().await;
    let port = free_port();
    let sink = Sink::start(&python, port).await;
    let id = queued(
        t.queue(registration(&t.app, "nobody@example.com", Locale::En))
            .await,
    );
    let report = t.worker_to(port).run_once().await.unwrap();
    assert_eq!(report.gave_up, 1, "{report:?}");
    let row = t.mail(id).await.unwrap();
    assert_eq!(row.status, MailStatus::Failed);
    assert_eq!(row.attempts, 1);
    assert!(
        row.last_error.as_deref().is_some_and(|e| e.contains("550")),
        "{row:?}"
    );
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn a_dedupe_key_queues_a_mail_only_once() {
    let Some(python) = smtp_python() else { return };
    let t = env().await;
    let port = free_port();
    let sink = Sink::start(&python, port).await;
    let mail =
        || registration(&t.app, "jane@example.com", Locale::En).dedupe_key("registration:jane");

    let first = t.queue(mail()).await;
    assert!(matches!(first, Enqueued::Queued(_)));
    assert_eq!(t.queue(mail()).await, Enqueued::Duplicate);

    // A duplicate does not spoil the transaction it happens in.
    let mut tx = t.store.write().await.unwrap();
    let now = t.clock.now();
    assert_eq!(
        mail::enqueue(tx.as_mut(), now, mail()).await.unwrap(),
        Enqueued::Duplicate
    );
    let other =
        registration(&t.app, "ivan@example.com", Locale::Ru).dedupe_key("registration:ivan");
    let other = queued(mail::enqueue(tx.as_mut(), now, other).await.unwrap());
    tx.commit().await.unwrap();
    assert_eq!(t.mail(other).await.unwrap().status, MailStatus::Pending);

    let report = t.worker_to(port).run_once().await.unwrap();
    assert_eq!(report.sent, 2, "{report:?}");
    let got = sink.messages();
    let to_jane = got
        .iter()
        .filter(|m| m["rcpt_tos"] == serde_json::json!(["jane@example.com"]))
        .count();
    assert_eq!((got.len(), to_jane), (2, 1), "{got:#?}");
    // The key holds after delivery too.
    assert_eq!(t.queue(mail()).await, Enqueued::Duplicate);
}

#[tokio::test]
async fn mail_queued_in_a_transaction_that_rolls_back_is_never_sent() {
    let python = smtp_python();
    let t = env().await;
    let port = free_port();
    let sink = match &python {
        Some(py) => Some(Sink::start(py, port).await),
        None => None,
    };
    let id = {
        let mut tx = t.store.write().await.unwrap();
        let id = queued(
            mail::enqueue(
                tx.as_mut(),
                t.clock.now(),
                registration(&t.app, "jane@example.com", Locale::En),
            )
            .await
            .unwrap(),
        );
        drop(tx); // the use case failed after queueing: no commit
        id
    };
    assert!(t.mail(id).await.is_none());
    let report = t.worker_to(port).run_once().await.unwrap();
    assert_eq!(report, Report::default());
    if let Some(sink) = sink {
        assert!(sink.messages().is_empty());
    }
}

#[tokio::test]
async fn without_smtp_mail_stays_in_the_outbox() {
    let t = env().await;
    let id = queued(
        t.queue(registration(&t.app, "jane@example.com", Locale::En))
            .await,
    );
    let worker = MailWorker::new(t.app.clone(), None, WorkerConfig::default());
    assert_eq!(worker.run_once().await.unwrap(), Report::default());
    let row = t.mail(id).await.unwrap();
    assert_eq!((row.status, row.attempts), (MailStatus::Pending, 0));

    // `run` without a mailer just waits for the stop.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(worker.run(stopped));
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(5), running)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.mail(id).await.unwrap().status, MailStatus::Pending);
}

#[tokio::test]
async fn a_claimed_mail_is_not_claimed_again_until_its_lease_ends() {
    let t = env().await;
    let lease = SignedDuration::from_mins(15);
    queued(
        t.queue(registration(&t.app, "jane@example.com", Locale::En))
            .await,
    );

    let first = t.app.claim_mail(10, lease).await.unwrap();
    assert_eq!(first.len(), 1);
    assert!(t.app.claim_mail(10, lease).await.unwrap().is_empty());

    // The first worker died mid-send; once its lease ends another takes the mail over…
    t.clock.advance(lease);
    let second = t.app.claim_mail(10, lease).await.unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].message.id, first[0].message.id);
    // …and a late answer from the first cannot overwrite the new holder's outcome.
    assert_eq!(
        t.app.mail_sent(&first[0]).await.unwrap(),
        MailFate::LeaseLost
    );
    assert_eq!(t.app.mail_sent(&second[0]).await.unwrap(), MailFate::Sent);
    let row = t.mail(first[0].message.id).await.unwrap();
    assert_eq!((row.status, row.attempts), (MailStatus::Sent, 1));
}

#[tokio::test]
async fn concurrent_workers_claim_disjoint_mail() {
    let t = env().await;
    for n in 0..6 {
        queued(
            t.queue(registration(
                &t.app,
                &format!("user{n}@example.com"),
                Locale::En,
            ))
            .await,
        );
    }
    let lease = SignedDuration::from_mins(15);
    let (a, b) = tokio::join!(t.app.claim_mail(3, lease), t.app.claim_mail(3, lease));
    let (a, b) = (a.unwrap(), b.unwrap());
    let c = t.app.claim_mail(10, lease).await.unwrap();
    let mut ids: Vec<_> = a.iter().chain(&b).chain(&c).map(|m| m.message.id).collect();
    assert_eq!(ids.len(), 6, "a {} b {} c {}", a.len(), b.len(), c.len());
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 6, "a mail was claimed twice");
}

/// PostgreSQL only: SQLite has one writer, so there a second claim waits its turn instead.
#[tokio::test]
async fn on_postgres_a_claim_skips_mail_another_open_claim_holds() {
    if !on_postgres() {
        return;
    }
    let t = env().await;
    for n in 0..4 {
        queued(
            t.queue(registration(
                &t.app,
                &format!("user{n}@example.com"),
                Locale::En,
            ))
            .await,
        );
    }
    let now = t.clock.now();
    let lease_until = now + SignedDuration::from_mins(15);
    let mut holder = t.store.write().await.unwrap();
    let held = holder.claim_due_mail(now, lease_until, 2).await.unwrap();
    assert_eq!(held.len(), 2);
    // The holder has not committed; the other worker neither waits for it nor takes its rows.
    let other = tokio::time::timeout(
        Duration::from_secs(5),
        t.app.claim_mail(10, SignedDuration::from_mins(15)),
    )
    .await
    .expect("the second claim waited for the first")
    .unwrap();
    assert_eq!(other.len(), 2);
    assert!(
        other
            .iter()
            .all(|m| held.iter().all(|h| h.id != m.message.id))
    );
    holder.commit().await.unwrap();
}

#[tokio::test]
async fn a_stopping_worker_hands_back_what_it_has_not_sent() {
    let t = env().await;
    let port = free_port();
    let ids: Vec<_> = futures_util::future::join_all((0..3).map(|n| {
        t.queue(registration(
            &t.app,
            &format!("user{n}@example.com"),
            Locale::En,
        ))
    }))
    .await
    .into_iter()
    .map(queued)
    .collect();
    // Stopped before it starts: `run` returns at once and claims nothing.
    let (stop, stopped) = tokio::sync::watch::channel(true);
    tokio::time::timeout(Duration::from_secs(5), t.worker_to(port).run(stopped))
        .await
        .unwrap();
    drop(stop);
    for id in &ids {
        let row = t.mail(*id).await.unwrap();
        assert_eq!((row.status, row.attempts), (MailStatus::Pending, 0));
    }
    // A claimed mail given back is due again at once, with no attempt counted.
    let claimed = t
        .app
        .claim_mail(1, SignedDuration::from_mins(15))
        .await
        .unwrap();
    t.app.release_mail(&claimed[0]).await.unwrap();
    let row = t.mail(claimed[0].message.id).await.unwrap();
    assert_eq!((row.status, row.attempts), (MailStatus::Pending, 0));
    assert_eq!(
        t.app
            .claim_mail(10, SignedDuration::from_mins(15))
            .await
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn a_reset_link_leaves_the_outbox_once_sent() {
    let Some(python) = smtp_python() else { return };
    let t = env().await;
    let port = free_port();
    let sink = Sink::start(&python, port).await;
    let reset_url = "https://billing.example/client/reset-password?token=s3cr3t-token";
    let id = queued(
        t.queue(OutgoingMail::new(
            email("jane@example.com"),
            Locale::En,
            MailTemplate::PasswordReset {
                login: Login::parse("login", "jane").unwrap(),
                reset_url: reset_url.to_owned(),
                valid_minutes: 30,
            },
        ))
        .await,
    );
    let report = t.worker_to(port).run_once().await.unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let got = sink.messages();
    assert!(got[0]["body"].as_str().unwrap().contains(reset_url));
    let row = t.mail(id).await.unwrap();
    assert_eq!(row.status, MailStatus::Sent);
    assert!(!row.body.contains("s3cr3t-token") && !row.params.to_string().contains("s3cr3t-token"));
}

#[tokio::test]
async fn an_invoice_goes_out_with_its_pdf_attached() {
    let Some(python) = smtp_python() else { return };
    // The real router (the API issues and sends the invoice) and a worker over its app.
    let t = crate::harness::spawn().await;
    let admin = t.admin().await;
    let p = crate::harness::new_provider(&admin, "Hosting", "EUR", false).await;
    let c = crate::harness::new_client(
        &admin,
        serde_json::json!({"email": "invoice@example.com", "providers": [p], "name": "Ирина Счётова", "locale": "ru"}),
    )
    .await;
    let pay = crate::harness::issue_payment(&admin, c["id"].as_str().unwrap(), &p, "12.50").await;
    let res = admin
        .post(
            &format!("/api/v1/payments/{}/send", pay["id"].as_str().unwrap()),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::ACCEPTED);
    let sent: Value = res.json().await.unwrap();
    assert_eq!(sent["to"], "invoice@example.com");

    let port = free_port();
    let sink = Sink::start(&python, port).await;
    let settings = SmtpSettings::new(
        "127.0.0.1",
        Some(port),
        None,
        None,
        Some("none"),
        Some(FROM),
    )
    .unwrap();
    let mailer: Arc<dyn Mailer> = Arc::new(SmtpMailer::new(&settings).unwrap());
    let worker = MailWorker::new(t.app.clone(), Some(mailer), WorkerConfig::default());
    let report = worker.run_once().await.unwrap();
    assert_eq!((report.claimed, report.sent), (1, 1), "{report:?}");
    let got = sink.messages();
    let mail = &got[0];
    let number = pay["number"].as_str().unwrap();
    assert_eq!(
        mail["subject"],
        format!("Счёт № {number}"),
        "in the client's language: {mail}"
    );
    assert!(
        mail["body"].as_str().unwrap().contains("12.50 EUR"),
        "{mail}"
    );
    assert_eq!(
        mail["attachments"][0]["content_type"], "application/pdf",
        "{mail}"
    );
    assert_eq!(mail["attachments"][0]["starts"], "%PDF-");
    assert_eq!(
        mail["attachments"][0]["filename"],
        format!("invoice-{number}.pdf")
    );
    let history: Value = admin
        .get(&format!(
            "/api/v1/payments/{}/history",
            pay["id"].as_str().unwrap()
        ))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        history.to_string().contains("invoice@example.com"),
        "{history}"
    );
}
