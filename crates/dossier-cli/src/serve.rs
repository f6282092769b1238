//! `dossier serve`: the JSON API and the browser UI (crate dossier-serve) on one address.

use anyhow::{bail, Context, Result};
use clap::Args;
use std::net::SocketAddr;
use std::path::Path;

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on. Anything but a loopback address needs --token.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// Token every request must carry (`Authorization: Bearer T`; a browser opens /?token=T once).
    #[arg(long, env = "DOSSIER_TOKEN", hide_env_values = true)]
    token: Option<String>,
}

pub fn run(db: &Path, args: ServeArgs) -> Result<()> {
    if !db.exists() {
        bail!("no database at {} (run `dossier --db {} ingest PATH...` first)", db.display(), db.display());
    }
    // An empty DOSSIER_TOKEN counts as none.
    let token = args.token.filter(|t| !t.is_empty());
    let config = dossier_serve::Config { db: db.to_path_buf(), bind: args.bind, token: token.clone() };
    dossier_serve::check_bind(config.bind, config.token.as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("cannot start the async runtime")?;
    runtime.block_on(async {
        let server = dossier_serve::Server::bind(config).await.with_context(|| format!("cannot serve on {}", args.bind))?;
        let addr = server.local_addr()?;
        match &token {
            Some(t) => eprintln!("dossier: serving {} on http://{addr}/ (open http://{addr}/?token={t} once in a browser)", db.display()),
            None => eprintln!("dossier: serving {} on http://{addr}/", db.display()),
        }
        server.run().await?;
        Ok(())
    })
}
