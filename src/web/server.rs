//! Binding, the warning a non-local bind deserves, and graceful shutdown on Ctrl-C.

use std::net::SocketAddr;

use super::{Config, router};

/// Whether `host` is a loopback address (or `localhost`).
pub fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Serve `cfg` on `listener` until `shutdown` completes; requests in flight are finished first.
///
/// # Errors
/// The server's I/O error.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    cfg: &Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(cfg))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Bind `host:port`, say where the page is (and warn when it is reachable from other machines),
/// and serve until Ctrl-C.
///
/// # Errors
/// The address cannot be bound, or the server fails.
pub async fn run(host: &str, port: u16, cfg: Config) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind((host, port)).await?;
    let addr: SocketAddr = listener.local_addr()?;
    if !is_loopback(host) {
        eprintln!(
            "racesim serve: WARNING: listening on {addr}, reachable from other machines; the \
             server has no authentication (use --host 127.0.0.1 to keep it local)"
        );
    }
    eprintln!(
        "racesim serve: open http://{}:{}/ (scenarios from {}, race records from {}); Ctrl-C stops",
        if is_loopback(host) {
            "127.0.0.1".to_string()
        } else {
            addr.ip().to_string()
        },
        addr.port(),
        cfg.scenarios.display(),
        cfg.records.display()
    );
    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = serve_on(listener, &cfg, async move {
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("racesim serve: stopping (finishing requests in flight, at most 5 s)");
        let _ = stopping.send(());
    });
    // an open progress stream would hold the server until its job ends: give requests in flight
    // a few seconds, then stop anyway
    tokio::select! {
        r = server => r,
        _ = async {
            let _ = stopped.await;
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        } => Ok(()),
    }
}
