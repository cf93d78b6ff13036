//! The page in a real headless Chromium, driven through WebDriver (chromedriver, `fantoccini`):
//! load it, pick the Millrose 2025 Kerr scenario, set Kerr's kick to 500 m, run 2000 races, see
//! a result table with Kerr and a chart; screenshots at 390 and 1400 px go to
//! `target/screenshots/`. Without Chromium or chromedriver the test says it is skipped and why.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt;
use racesim::web::{Config, Limits, server};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Poll `f` until it returns `Some`, for at most `secs` seconds.
async fn until<T, F, Fut>(secs: u64, what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let t0 = Instant::now();
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(secs),
            "timed out after {secs} s waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn text_of(c: &Client, css: &str) -> Option<String> {
    c.find(Locator::Css(css)).await.ok()?.text().await.ok()
}

/// Click the element `css`.
async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Choose `value` in the `<select>` `css`.
async fn choose(c: &Client, css: &str, value: &str) {
    let select = c.find(Locator::Css(css)).await.unwrap();
    select.select_by_value(value).await.unwrap();
}

/// Replace what the field `css` holds with `text`.
async fn type_into(c: &Client, css: &str, text: &str) {
    let field = c.find(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn shot(c: &Client, width: u32, height: u32, path: &Path) {
    c.set_window_size(width, height).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let png = c.screenshot().await.unwrap();
    std::fs::write(path, png).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_runs_the_kerr_question_in_chromium() {
    for bin in [CHROMIUM, CHROMEDRIVER] {
        if !Path::new(bin).exists() {
            eprintln!(
                "SKIPPED the browser test: {bin} is not installed (Debian packages `chromium` and \
                 `chromium-driver`; .ci/run installs them)"
            );
            return;
        }
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    // the server, on an ephemeral port
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let cfg = Config {
        scenarios: root.join("scenarios"),
        records: root.join("../shared/data/races"),
        limits: Limits::default(),
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let srv = tokio::spawn(async move {
        server::serve_on(listener, &cfg, async {
            let _ = stopped.await;
        })
        .await
    });

    // chromedriver
    let port = free_port();
    let _driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--hide-scrollbars", "--window-size=1400,1000"]
        }),
    );
    let c = until(30, "chromedriver", || {
        let caps = caps.clone();
        async move {
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps)
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
                .ok()
        }
    })
    .await;

    let result = async {
        c.goto(&format!("http://{addr}/")).await.unwrap();
        // pick the Kerr scenario
        let option = "scenario:millrose-2025-kerr-plan.toml";
        let select = until(30, "the list of races", || async {
            let s = c.find(Locator::Css("#source")).await.ok()?;
            s.find(Locator::Css(&format!("option[value=\"{option}\"]")))
                .await
                .ok()?;
            Some(s)
        })
        .await;
        select.select_by_value(option).await.unwrap();
        // Kerr's kick: 500 m
        let kick = until(60, "Kerr's row in the form", || async {
            c.find(Locator::Css(
                "input[data-runner=\"Josh Kerr\"][data-field=\"kick_m\"]",
            ))
            .await
            .ok()
        })
        .await;
        kick.clear().await.unwrap();
        kick.send_keys("500").await.unwrap();
        type_into(&c, "#runs", "2000").await;
        let target = c.find(Locator::Css("#targets")).await.unwrap();
        target.send_keys("3:50.00").await.unwrap();
        click(&c, "#run").await;

        // the result: a table with Kerr, and charts
        let table = until(600, "the result table", || async {
            let t = text_of(&c, "#result-table").await?;
            t.contains("Josh Kerr").then_some(t)
        })
        .await;
        let title = text_of(&c, "#result-title").await.unwrap();
        assert!(title.contains("2000 races"), "{title}");
        assert!(
            title.contains("(form)"),
            "the form's change was run: {title}"
        );
        let kerr_row = table
            .lines()
            .find(|l| l.contains("Josh Kerr"))
            .unwrap()
            .to_string();
        assert!(
            kerr_row.contains('%') || kerr_row.contains('.'),
            "{kerr_row}"
        );
        let charts = c
            .find_all(Locator::Css("#charts figure svg"))
            .await
            .unwrap();
        assert!(charts.len() >= 3, "{} charts", charts.len());
        // the target-time column: a percentage for every runner
        assert!(table.contains("< 3:50.00 %"), "{table}");
        let link = c
            .find(Locator::Css("#permalink"))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        assert!(link.contains("seed=") && link.contains("500"), "{link}");

        let dir = root.join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        shot(&c, 1400, 2200, &dir.join("web-1400.png")).await;
        shot(&c, 390, 2600, &dir.join("web-390.png")).await;
        c.set_window_size(1400, 1000).await.unwrap();

        // two variants side by side: the scenario as written against the form (kick 500 m)
        click(&c, "#compare").await;
        choose(&c, "#var-a", "base").await;
        choose(&c, "#var-b", "form").await;
        type_into(&c, "#runs", "1000").await;
        click(&c, "#run").await;
        let table = until(600, "the comparison table", || async {
            let t = text_of(&c, "#result-table").await?;
            t.contains("Δ win").then_some(t)
        })
        .await;
        let title = text_of(&c, "#result-title").await.unwrap();
        assert!(
            title.contains("form against base") && title.contains("1000 races each"),
            "{title}"
        );
        // Kerr's paired difference, with its 95 % interval in brackets
        let kerr_row = table
            .lines()
            .find(|l| l.contains("Josh Kerr"))
            .unwrap_or_else(|| panic!("{table}"))
            .to_string();
        assert!(
            kerr_row.contains('[') && kerr_row.contains(']'),
            "{kerr_row}"
        );
        let plain = text_of(&c, "#plain").await.unwrap();
        assert!(plain.contains("Josh Kerr"), "{plain}");
        shot(&c, 1400, 1600, &dir.join("web-compare-1400.png")).await;
        shot(&c, 390, 2000, &dir.join("web-compare-390.png")).await;
        c.set_window_size(1400, 1000).await.unwrap();

        // the TOML editor: an unknown tactic is shown on its line, in the message and the margin
        let line: u64 = c
            .execute(
                r#"const t = document.getElementById("toml");
                   document.getElementById("toml-box").open = true;
                   const i = t.value.indexOf('country = "IRL"');
                   t.value = t.value.slice(0, i) + 'tactic = "sprint"\n' + t.value.slice(i);
                   t.dispatchEvent(new Event("input"));
                   return t.value.slice(0, i).split("\n").length;"#,
                vec![],
            )
            .await
            .unwrap()
            .as_u64()
            .unwrap();
        let msg = until(30, "the editor's error", || async {
            let m = text_of(&c, "#toml-error").await?;
            m.contains("sprint").then_some(m)
        })
        .await;
        assert!(
            msg.starts_with(&format!("line {line}, runner[0].tactic:")),
            "{msg}"
        );
        assert!(msg.contains("unknown tactic `sprint`"), "{msg}");
        let marked = text_of(&c, "#gutter .bad").await.unwrap();
        assert_eq!(marked.trim(), line.to_string());
        shot(&c, 390, 1400, &dir.join("web-error-390.png")).await;
        c.set_window_size(1400, 1000).await.unwrap();

        // a real race, as a scenario in the editor (scenario from-record)
        choose(&c, "#source", "record:paris2024_oly_m1500_final.json").await;
        until(60, "the record's runners in the form", || async {
            c.find(Locator::Css(
                "input[data-runner=\"Jakob Ingebrigtsen\"][data-field=\"kick_m\"]",
            ))
            .await
            .ok()
        })
        .await;
        let toml: String = c
            .execute("return document.getElementById('toml').value;", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            toml.contains("scenario from-record") && toml.contains("name = \"Cole Hocker\""),
            "{toml}"
        );
        eprintln!("screenshots: {}", dir.display());
    };
    // close the browser whatever happened, then report
    let outcome = std::panic::AssertUnwindSafe(result).catch_unwind().await;
    let _ = c.close().await;
    let _ = stop.send(());
    let _ = srv.await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e);
    }
}
