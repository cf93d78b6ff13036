//! Jobs: a bounded queue of simulations run one at a time off the async executor.
//!
//! A job is accepted only while fewer than [`Limits::max_jobs`] are queued or running (else 429);
//! it waits for the single worker permit, then runs on tokio's blocking pool, where the Monte
//! Carlo engine uses rayon's threads as on the command line. Finished jobs are kept (the last
//! [`Limits::keep_finished`]) so their results can be fetched; older ones are forgotten, so memory
//! stays bounded however long the server runs. A job that fails (or panics) keeps its error; the
//! server goes on.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;
use tokio::sync::Semaphore;

use super::Limits;
use super::api::ApiError;

/// Where a job is.
#[derive(Debug, Clone)]
pub enum JobState {
    /// Waiting for the worker.
    Queued,
    /// Simulating.
    Running,
    /// Finished: the result document.
    Done(Arc<serde_json::Value>),
    /// Failed: why.
    Failed(ApiError),
}

impl JobState {
    /// Its name in the API.
    pub fn name(&self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done(_) => "done",
            JobState::Failed(_) => "failed",
        }
    }

    /// Whether the job is over.
    pub fn finished(&self) -> bool {
        matches!(self, JobState::Done(_) | JobState::Failed(_))
    }
}

/// One job.
#[derive(Debug)]
pub struct Job {
    /// Its id.
    pub id: String,
    /// Races to simulate in all.
    pub total: u64,
    /// Races simulated so far.
    pub done: AtomicU64,
    state: Mutex<JobState>,
}

impl Job {
    /// Its state now.
    pub fn state(&self) -> JobState {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn set(&self, s: JobState) {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner) = s;
    }

    /// Count `n` more races done.
    pub fn advance(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    /// Count every race done (the work is over).
    pub fn complete(&self) {
        self.done.store(self.total, Ordering::Relaxed);
    }

    /// The job's progress as the API reports it.
    pub fn progress(&self) -> Progress {
        let st = self.state();
        Progress {
            id: self.id.clone(),
            state: st.name(),
            done: self.done.load(Ordering::Relaxed).min(self.total),
            total: self.total,
            error: match st {
                JobState::Failed(e) => Some(e.body()),
                _ => None,
            },
        }
    }
}

/// `GET /api/jobs/{id}` and each progress event.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    /// The job.
    pub id: String,
    /// `queued`, `running`, `done` or `failed`.
    pub state: &'static str,
    /// Races simulated.
    pub done: u64,
    /// Races in all.
    pub total: u64,
    /// The error of a failed job.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<serde_json::Value>,
}

#[derive(Debug, Default)]
struct Book {
    jobs: HashMap<String, Arc<Job>>,
    /// Ids in submission order (for forgetting the oldest finished jobs).
    order: VecDeque<String>,
    next: u64,
}

/// The server's jobs.
#[derive(Debug)]
pub struct Jobs {
    book: Mutex<Book>,
    worker: Arc<Semaphore>,
    limits: Limits,
}

/// The work of a job: runs on a blocking thread, reports progress through the job, returns the
/// result document.
pub type Work = Box<dyn FnOnce(&Job) -> Result<serde_json::Value, ApiError> + Send + 'static>;

impl Jobs {
    /// No jobs yet.
    pub fn new(limits: Limits) -> Jobs {
        Jobs {
            book: Mutex::default(),
            worker: Arc::new(Semaphore::new(limits.workers.max(1))),
            limits,
        }
    }

    /// A job by id.
    pub fn get(&self, id: &str) -> Option<Arc<Job>> {
        self.book
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .jobs
            .get(id)
            .cloned()
    }

    /// Queue `work` (`total` races); returns the job.
    ///
    /// # Errors
    /// 429 if [`Limits::max_jobs`] jobs are already queued or running.
    pub fn submit(&self, total: u64, work: Work) -> Result<Arc<Job>, ApiError> {
        let job = {
            let mut b = self.book.lock().unwrap_or_else(PoisonError::into_inner);
            let live = b.jobs.values().filter(|j| !j.state().finished()).count();
            if live >= self.limits.max_jobs {
                return Err(ApiError::busy(format!(
                    "{live} jobs are already queued or running (at most {}); try again when one \
                     has finished",
                    self.limits.max_jobs
                )));
            }
            b.next += 1;
            let id = format!("{:x}", b.next);
            let job = Arc::new(Job {
                id: id.clone(),
                total,
                done: AtomicU64::new(0),
                state: Mutex::new(JobState::Queued),
            });
            b.jobs.insert(id.clone(), job.clone());
            b.order.push_back(id);
            // forget the oldest finished jobs beyond the number kept
            let finished: Vec<String> = b
                .order
                .iter()
                .filter(|i| b.jobs.get(*i).is_some_and(|j| j.state().finished()))
                .cloned()
                .collect();
            let excess = finished.len().saturating_sub(self.limits.keep_finished);
            for i in finished.into_iter().take(excess) {
                b.jobs.remove(&i);
                b.order.retain(|x| *x != i);
            }
            job
        };
        let worker = self.worker.clone();
        let j = job.clone();
        tokio::spawn(async move {
            let Ok(_permit) = worker.acquire_owned().await else {
                j.set(JobState::Failed(ApiError::internal(
                    "the server is stopping",
                )));
                return;
            };
            j.set(JobState::Running);
            let jj = j.clone();
            let out = tokio::task::spawn_blocking(move || work(&jj)).await;
            j.set(match out {
                Ok(Ok(v)) => {
                    j.complete();
                    JobState::Done(Arc::new(v))
                }
                Ok(Err(e)) => JobState::Failed(e),
                Err(e) => JobState::Failed(ApiError::internal(format!(
                    "the simulation stopped unexpectedly: {e}"
                ))),
            });
        });
        Ok(job)
    }
}
