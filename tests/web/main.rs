//! Tests of `racesim serve` (one test target, `cargo test --test web`): the JSON API in-process
//! ([`api`]) and the page in a real headless Chromium driven through WebDriver ([`browser`]).

mod api;
mod browser;
