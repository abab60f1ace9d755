"""Tunables, in one place. Change them here, never inline."""

from __future__ import annotations

# --- extraction -----------------------------------------------------------
#: pdfplumber's default x_tolerance (3) glues the tight word spacing of LaTeX
#: PDFs together ("inPythonandfine-tuning"); 1.5 keeps the words apart.
PDF_X_TOLERANCE = 1.5
PDF_Y_TOLERANCE = 3.0
#: Share of a page's characters that must be printed twice (same glyph at
#: nearly the same spot) before we pay for ``dedupe_chars`` (~2.8x slower).
FAUX_BOLD_MIN_SHARE = 0.01
FAUX_BOLD_MIN_CHARS = 4
#: Two copies of a glyph closer than this (points) count as one faux-bold glyph.
FAUX_BOLD_TOLERANCE = 1.0
#: A vertical gutter must be at least this wide (points) to split columns ...
COLUMN_MIN_GUTTER = 12.0
#: ... lie between these fractions of the page width ...
COLUMN_SEARCH_BAND = (0.2, 0.8)
#: ... and each side must hold at least this share of the page's words.
COLUMN_MIN_SIDE_SHARE = 0.15
#: Words crossing the gutter are allowed only in this top share of the page
#: (a full-width name and contact header); anywhere else the page is one column.
COLUMN_HEADER_BAND = 0.3
#: Text a reader cannot see is not counted (keyword stuffing): glyphs smaller
#: than this (points), or lighter than this in every channel (0 black, 1 white).
MIN_VISIBLE_FONT_PT = 2.0
NEAR_WHITE = 0.95
#: How deep pdfium looks into nested form XObjects for hidden text.
PDFIUM_MAX_FORM_DEPTH = 8
#: pdfium takes hidden text objects off a page itself (each removal is linear in the page's
#: objects) up to this many a page; a page with more (a million tiny glyphs) stops the walk
#: there and the file is re-read by pdfplumber, as every file with hidden text was before.
#: Planted stuffing in bench/profile_batch.py is one line (1-80 objects a page).
PDFIUM_MAX_HIDDEN_OBJECTS = 2000
#: pdfium rules a gutter out from the word boxes of a few lines (windows of this many
#: characters from the middle of the page, at most three) before it reads every character's
#: box; a window of this many body words that leaves a gap is taken as a real gutter. On 767
#: generated pages (bench/profile_batch.py) the windows clear 233 of the 235 one-column pages
#: that pass the runs test, at ~0.3 ms a page against ~3 ms for every character's box.
COLUMN_PROBE_CHARS = 300
COLUMN_PROBE_WORDS = 20
#: A term counted more often than this in one resume is capped and flagged.
MAX_TERM_OCCURRENCES = 25
#: Files we read, by suffix.
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
#: PDF text engines: pdfplumber (pdfminer, the reference) and pdfium (fast).
ENGINES = ("pdfplumber", "pdfium")
DEFAULT_ENGINE = "pdfplumber"
#: batch reads with pdfium by default: on the fixtures and on the dev postings
#: rendered to PDF it gave identical features (100%) at ~25x the pages/s
#: (bench/engines.py); classify, train and evaluate keep the reference engine.
BATCH_DEFAULT_ENGINE = "pdfium"
#: The engine a Word file or a text file is recorded as read with.
DOCX_ENGINE = "python-docx"
TEXT_ENGINE = "text"
#: Limits on one file; each is overridable on the command line and in the API.
#: Larger files are refused before parsing.
MAX_FILE_MB = 20
#: Only the first pages are read (with a warning): a resume is a few pages.
MAX_PAGES = 30
#: Wall-clock time and memory one file's extraction may take, enforced in a
#: child process that is killed when it overruns.
DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MEMORY_CAP_MB = 1024
PDF_SUFFIXES = (".pdf",)


# --- model ----------------------------------------------------------------
#: Bumped whenever the analyzer's output for the same text can change; a
#: scoring file made by another analyzer version is refused.
ANALYZER_VERSION = 4  # 3: context-gated forms; 4: held titles, requirement phrasing
SCORING_FORMAT = 2  # 2: structural features (title:..., req:...) among the terms
#: Longest phrase (in tokens) a vocabulary term or variant may have.
MAX_PHRASE_TOKENS = 6
#: A context-gated form (``ecs{aws|cluster}`` in vocabulary.toml) needs one of its context
#: words within this many tokens before or after it: a resume line is about 6-12 tokens,
#: so 6 keeps the context to the same phrase ("deployed on AWS ECS", not a course list).
CONTEXT_WINDOW_TOKENS = 6
#: Document structure (text/structure.py). A text with at least POSTING_MIN_CUES distinct
#: posting phrases ("you will", "requirements:", "benefits", "apply") is a job posting.
#: Counted on the project's own text: 352 of 353 resumes (corpus and held-out sets) have at
#: most 1 (one out-of-domain resume has 2); 95 of 104 corpus postings have 2 or more.
POSTING_MIN_CUES = 2
#: A role title is held only near the start of its line (a headline, an entry), with its
#: dates on that line or this many lines around it; the first lines are the headline.
TITLE_MAX_OFFSET_TOKENS = 3
TITLE_DATE_LOOKAROUND_LINES = 2
HEADLINE_LINES = 3
#: Terms that a posting's requirement clauses turn into requirement evidence (req:...):
#: degrees and publications, which a posting asks for and a resume holds.
REQUIREMENT_SECTIONS = ("education",)
REQUIREMENT_TERMS = ("publication", "publication record", "first-author", "conferences")
#: Logistic-regression inverse regularisation strength and solver settings.
LOGREG_C = 4.0
#: Platt scaling may temper the model's confidence, never sharpen it.
CALIBRATION_MAX_SLOPE = 1.0
#: Term presence rather than count: a resume says "PyTorch" once in a skills list
#: and again in three bullets, and the repeats are style, not more evidence
#: (keyword stuffing earns nothing either). bench/model_variants.py: equal
#: cross-validation, better on both held-out sets and the dev postings than
#: sublinear counts.
TFIDF_BINARY = True
#: Normalisation of the tf-idf vector ("l2" as scikit-learn's default, or "l1").
TFIDF_NORM = "l2"
LOGREG_MAX_ITER = 2000
DEFAULT_SEED = 0
CV_FOLDS = 5
#: Fewer examples of a class than this in new training data is an error with
#: --replace-base and a warning when the data is added to the base corpus.
MIN_EXAMPLES_PER_CLASS = 10
#: How many terms whose weights changed most a retraining report lists.
CHANGED_TERMS = 10
#: The retraining comparison holds out this share of the new data (one grouped,
#: stratified fold, so 0.2 is one fold of five); the new model is refit without it.
COMPARISON_HOLDOUT_SHARE = 0.2
#: A comparison set is reported as a loss (a warning) when the new model's accuracy
#: is lower, or its Brier score higher, by at least COMPARISON_LOSS_MARGIN and a
#: paired one-sided sign test over the same items gives p < COMPARISON_LOSS_P: on
#: 20 held-out items one or two more errors is noise, not a loss.
COMPARISON_LOSS_MARGIN = 0.01
COMPARISON_LOSS_P = 0.05
#: ``train --weight``: the sample weight of a team's examples against the base
#: corpus and vocabulary documents (1: every example counts alike).
DEFAULT_USER_WEIGHT = 1.0
#: Role labels: index 0 is the negative class of the logit, 1 the positive.
LABELS = ("engineer", "scientist")  # as results.ENGINEER, results.SCIENTIST
UNDETERMINED = "undetermined"

# --- verdict --------------------------------------------------------------
#: The graded "undetermined" rule: a text needs at least MIN_ROLE_TERMS distinct role
#: terms, and distinct machine-learning terms (role or shared): MIN_ML_TERMS of them, or
#: only one when its role evidence is as large as ROLE_TERMS_FOR_ONE_ML_TERM (a long
#: resume about ML research that names the field once). Chosen on the project's sets:
#: out-of-domain resumes have at most 1 ML term and 21 role terms (all flagged), held-out
#: ML resumes at least 2 ML terms or 19 role terms. Measured on ../shared/real (bench/
#: eval_real.py): a bar of 30 or 40 role terms cost 2-11 non-ML postings and resumes their
#: "undetermined"; 50 costs none and still judges a long ML-research CV naming ML once.
MIN_ML_TERMS = 2
MIN_ROLE_TERMS = 2
ROLE_TERMS_FOR_ONE_ML_TERM = 50
#: Just past the bar the evidence is thin: a verdict with fewer ML terms than the bar
#: plus this margin is never called "strongly" and says its evidence is thin, so one
#: added term moves "undetermined" to "leaning, on thin evidence", not to "strongly".
THIN_EVIDENCE_MARGIN = 2

# --- evaluation -----------------------------------------------------------
#: How many most-confidently-wrong items an evaluation lists.
WORST_ITEMS = 5
#: Bins of predicted P(scientist) in an evaluation's reliability table.
RELIABILITY_BINS = 10

#: Below this share of English among the function words found, a text is
#: "mostly not English" and undetermined; fewer function words than the
#: minimum (a bare skill list) and the check does not apply.
MIN_ENGLISH_SHARE = 0.5
MIN_FUNCTION_WORDS = 20

# --- batch ----------------------------------------------------------------
#: Output formats of a batch run, and the output-file extensions that choose each
#: (``--format`` overrides; any other extension is a usage error).
FORMATS = ("jsonl", "csv", "xlsx")
FORMAT_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xlsx": "xlsx"}
#: P(scientist) is rounded to this many decimals in CSV and xlsx cells (JSONL keeps every digit).
SHOWN_PROBABILITY_DIGITS = 3
#: The optional extra that brings openpyxl for .xlsx output.
XLSX_EXTRA = "xlsx"
#: Terms listed each way in a CSV row's top_engineer_terms/top_scientist_terms.
CSV_TOP_TERMS = 5
#: Tasks kept in flight per worker, so memory stays flat however many files.
TASKS_PER_WORKER = 4
#: A long-lived reader (classifier.read.workers) leaves after this many files and a fresh
#: one is forked (~5 ms): whatever a parser leaks cannot pile up. Restarting costs 0.1% of
#: reading 500 files at the measured ~10 ms a file.
READER_MAX_ITEMS = 500
#: Files per Dask task (and at most this many MB of their bytes): the scheduler's per-task
#: cost (up to ~1 ms, Dask's best practices; the client and a LocalCluster's scheduler share
#: one process) is paid once a chunk. Measured by bench/scale_bench.py (see results.md).
DASK_CHUNK_FILES = 8
DASK_CHUNK_MB = 16
#: Batch rows are flushed to the OS one by one (a killed run loses none: flushing costs
#: nothing next to serialising, 0.135 ms a row either way on 400 rows) and fsynced to disk
#: once per this many rows or seconds, whichever comes first, and at the end: a power cut
#: loses at most the rows since the last fsync, which the next run rescores. One fsync costs
#: 0.6-0.9 ms here: once per row it would add ~10% to a file's ~8 ms.
ROW_FSYNC_ROWS = 64
ROW_FSYNC_SECONDS = 2.0

# --- web server ------------------------------------------------------------
#: Files queued or in flight per reader worker before the API answers 503 with
#: Retry-After: enough to keep every worker busy between requests, bounded so that
#: a burst never turns into an unbounded backlog in memory. At 4, sixteen clients on two
#: workers got 503s (retried after 1 s: p95 1.0 s, 83 files/s against 139 at 4 clients);
#: at 8 they queue instead, waiting at most ~8 files of ~7 ms each (bench/serve_bench.py).
SERVE_QUEUE_PER_WORKER = 8
#: Seconds a client is asked to wait after a 503.
SERVE_RETRY_AFTER_S = 1
#: Batches kept in memory: at most this many, each at most this old (seconds).
SERVE_MAX_BATCHES = 20
SERVE_BATCH_MAX_AGE_S = 3600
#: Files in one batch upload, and the size of the whole upload (each file also keeps the
#: --max-size limit of one resume, checked by the reader).
SERVE_MAX_BATCH_FILES = 1000
SERVE_MAX_BATCH_MB = 500
SERVE_DEFAULT_PORT = 8000
#: Hosts a server bound to loopback answers to (DNS rebinding protection).
SERVE_LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
#: The environment variable that may hold the API token.
SERVE_TOKEN_ENV = "RESUME_ROLE_TOKEN"

# --- display ---------------------------------------------------------------
DEFAULT_TOP_TERMS = 8
#: The terminal shows weights to three decimals; smaller ones would print as 0.000.
SHOWN_WEIGHT_MIN = 0.0005
#: Suggested terms shown per article section in the terminal (JSON and HTML have all).
ADVICE_SHOWN = 3
#: Advice offers only what a candidate could truthfully have and act on: skills, tools,
#: methods, duties and degrees; never industries, the definition's adjectives or the
#: outlook (and never honours: vocabulary terms with advice = false).
ADVICE_SECTIONS = ("skills", "tools", "responsibilities", "education")
#: Below this change of P(scientist) no suggestion is worth listing (unless --toward).
ADVICE_MIN_PROBABILITY_CHANGE = 0.01
#: Machine-learning terms listed as missing for an undetermined text.
MISSING_ML_SHOWN = 8

# --- explanations: advice, flip sets, sections, HTML ------------------------
#: Missing terms suggested per article section (what_would_move).
ADVICE_PER_SECTION = 5
#: A resume heading is a line of at most this many words and characters.
HEADING_MAX_WORDS = 5
HEADING_MAX_CHARS = 48
#: The name of the text before the first heading (name, contact line).
HEADER_SECTION = "Header"
#: Terms without positions (a result rebuilt from JSON) are counted here.
UNPLACED_SECTION = "Unplaced"
#: Okabe-Ito blue and orange: told apart with every common colour-vision deficiency.
HTML_ENGINEER_COLOUR = "#0072B2"
HTML_SCIENTIST_COLOUR = "#E69F00"
#: Highlight opacity range, scaled by |contribution| relative to the strongest term.
HTML_MIN_ALPHA = 0.12
HTML_MAX_ALPHA = 0.6
#: Bins of the scientist-probability histogram in a batch report.
HISTOGRAM_BINS = 10

# --- Word files and OCR (issue 9) -------------------------------------------
#: Word files we read (python-docx), by suffix.
DOCX_SUFFIXES = (".docx",)
#: Source files of typesetting systems (issue 16): LaTeX is read as text with
#: pylatexenc (commands and environments stripped); Typst is compiled to PDF in
#: memory with the optional ``typst`` package (its wheel is ~80 MB, so it is an
#: extra) and that PDF read with pdfium.
LATEX_SUFFIXES = (".tex",)
LATEX_ENGINE = "pylatexenc"
TYPST_SUFFIXES = (".typ",)
TYPST_ENGINE = "typst"
TYPST_EXTRA = "typst"
#: Images of a resume, read only with --ocr (Tesseract; multi-page TIFFs page by page).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
OCR_ENGINE = "tesseract"
#: Every file type read, in the order messages list them.
READ_SUFFIXES = (
    *PDF_SUFFIXES, *DOCX_SUFFIXES, *TEXT_SUFFIXES, *LATEX_SUFFIXES, *TYPST_SUFFIXES,
    *IMAGE_SUFFIXES,
)  # fmt: skip
#: Word-processor formats we do not read: each gets a one-line error saying how
#: to convert it to .docx or PDF.
LEGACY_FORMATS = (".doc", ".rtf", ".odt", ".pages")
#: A .docx is a zip: refuse one whose parts unpack to more than this (a zip
#: bomb), before python-docx loads every part into memory.
DOCX_MAX_UNPACKED_MB = 200
#: Pages are rendered for Tesseract at this resolution: 300 dpi is what
#: Tesseract is trained for; less loses small print, more only costs time.
OCR_DPI = 300
#: ... unless the rendered page would exceed this many pixels (a poster-sized
#: page); then the resolution is lowered to fit, with a warning.
OCR_MAX_PAGE_PIXELS = 16_000_000
#: The Tesseract command, its language and page-segmentation mode (3: fully
#: automatic, handles one- and two-column pages).
TESSERACT_CMD = "tesseract"
OCR_LANGUAGE = "eng"
OCR_PSM = 3
#: Hard limit on one page's Tesseract run; a page over it is skipped with a warning.
OCR_PAGE_TIMEOUT_S = 60.0
#: Time to add to the reading timeout for each page OCR may read (measured on
#: the scanned fixtures: 2-3 s a page alone, ~5 s with two workers on 2 cores).
OCR_PAGE_ALLOWANCE_S = 15.0
#: Tesseract's OpenMP threads: one, so OCR does not fight batch workers for cores.
OCR_THREADS = 1
#: A page whose mean word confidence (0-100) is below this gets a warning.
OCR_MIN_CONFIDENCE = 60.0
