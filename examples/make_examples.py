"""Generate the two example resumes shipped with resume-role.

Run ``python examples/make_examples.py`` from any directory.  It writes, next to
this script, ``engineer_resume.pdf`` / ``.txt`` (a Machine Learning Engineer) and
``scientist_resume.pdf`` / ``.txt`` (a Machine Learning research Scientist).
Each PDF is a two-page, one-column resume; each ``.txt`` holds the same content
as plain text.  Output is deterministic (reportlab invariant mode).

Both people, their employers and their papers are fictional.
"""

from __future__ import annotations

from pathlib import Path

from reportlab import rl_config

rl_config.invariant = 1  # reproducible output: fixed dates and document ID

from reportlab.lib.pagesizes import letter  # noqa: E402
from reportlab.lib.utils import simpleSplit  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

HERE = Path(__file__).resolve().parent
PAGE_W, PAGE_H = letter
MARGIN_X = 60.0
MARGIN_Y = 54.0
BODY_FONT, BOLD_FONT, ITALIC_FONT = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"
BODY_SIZE, LEADING = 10.5, 14.0
# Helvetica's WinAnsi encoding turns U+2022 into byte 0x7F, which pdfminer reports
# as "(cid:127)"; the bullet is drawn with embedded DejaVu Sans instead.
BULLET_FONT = "DejaVuSans"
BULLET_FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

# A resume is a list of blocks:
#   ("name", text) ("contact", text) ("heading", text) ("para", text)
#   ("job", title, organisation, dates) ("bullet", text) ("line", text)
Block = tuple[str, str] | tuple[str, str, str, str]


# --------------------------------------------------------------------------- content

ENGINEER: list[Block] = [
    ("name", "Daniel Reyes"),
    (
        "contact",
        "San Francisco, CA  |  daniel.reyes@example.com  |  (555) 012-4477  |  "
        "github.com/dreyes-ml  |  linkedin.com/in/danielreyes",
    ),
    ("heading", "Summary"),
    (
        "para",
        "Machine Learning Engineer with 7 years of experience building, deploying and "
        "operating machine learning systems in production. I turn models from research "
        "teams into reliable, low-latency services, and build the platforms around them: "
        "model serving, feature stores, CI/CD for models, and monitoring. Comfortable "
        "across Python, Java and C++, and on AWS, Docker and Kubernetes.",
    ),
    ("heading", "Technical Skills"),
    ("line", "Languages: Python, Java, C++, Go, SQL, Bash"),
    (
        "line",
        "Machine learning: PyTorch, TensorFlow, scikit-learn, XGBoost, LightGBM, ONNX Runtime",
    ),
    (
        "line",
        "Serving and MLOps: TorchServe, Triton Inference Server, MLflow, Kubeflow, Airflow, "
        "Feast feature store, Great Expectations",
    ),
    (
        "line",
        "Infrastructure: AWS (SageMaker, EKS, EC2, S3, Lambda, DynamoDB), Docker, "
        "Kubernetes, Helm, Terraform",
    ),
    ("line", "Data and streaming: Apache Spark, Kafka, Flink, Snowflake, Redis, PostgreSQL"),
    (
        "line",
        "Monitoring and CI/CD: Prometheus, Grafana, Datadog, GitHub Actions, Jenkins, Argo CD",
    ),
    ("heading", "Professional Experience"),
    (
        "job",
        "Senior Machine Learning Engineer",
        "Brightline Commerce, San Francisco, CA",
        "Mar 2021 – Present",
    ),
    (
        "bullet",
        "Lead engineer for the real-time recommendation serving platform; own production "
        "deployment, on-call and capacity planning for 40+ models.",
    ),
    (
        "bullet",
        "Migrated model serving from EC2 instances to Kubernetes (EKS) with Triton "
        "Inference Server, cutting p99 latency from 120 ms to 35 ms and infrastructure "
        "cost by 30%.",
    ),
    (
        "bullet",
        "Designed and launched an online/offline feature store on Feast, Redis and "
        "Snowflake used by 6 teams, removing training/serving skew incidents.",
    ),
    (
        "bullet",
        "Built CI/CD pipelines for models with GitHub Actions, MLflow model registry and "
        "Argo CD: automated tests, canary releases and one-click rollback.",
    ),
    (
        "bullet",
        "Set up model monitoring (data drift, prediction quality, latency, error rates) "
        "with Prometheus, Grafana and PagerDuty alerts.",
    ),
    (
        "bullet",
        "Collaborated with data scientists to productionize a two-tower retrieval model, "
        "increasing conversion by 4.2% in an A/B test.",
    ),
    (
        "job",
        "Machine Learning Engineer",
        "Harborview Financial, Oakland, CA",
        "Jun 2018 – Feb 2021",
    ),
    (
        "bullet",
        "Deployed fraud detection models as Docker containers behind a Java (Spring Boot) "
        "scoring service handling 3,000 requests per second.",
    ),
    (
        "bullet",
        "Rewrote feature computation in C++ for the low-latency path, reducing scoring "
        "time per transaction by 60%.",
    ),
    (
        "bullet",
        "Built batch training pipelines on Apache Spark and Airflow; retraining moved "
        "from manual monthly runs to automated weekly runs.",
    ),
    (
        "bullet",
        "Introduced MLflow experiment tracking and a model review checklist adopted by "
        "the whole analytics organization.",
    ),
    (
        "bullet",
        "Worked with compliance and risk stakeholders to document models and pass two "
        "external audits.",
    ),
    (
        "job",
        "Software Engineer, Data Platform",
        "Copperleaf Health, San Jose, CA",
        "Jul 2016 – May 2018",
    ),
    (
        "bullet",
        "Developed Java and Python ETL services feeding the data warehouse and the first "
        "machine learning models for patient no-show prediction.",
    ),
    (
        "bullet",
        "Containerized legacy services with Docker and moved them to AWS, improving "
        "deployment frequency from monthly to daily.",
    ),
    ("bullet", "Wrote integration tests and improved code coverage from 45% to 80%."),
    ("heading", "Projects"),
    (
        "bullet",
        "Open-source contributor to a Kubernetes operator for model serving: added "
        "autoscaling on GPU utilization and request queue length.",
    ),
    (
        "bullet",
        "Built an internal load-testing tool for inference endpoints that reports "
        "latency percentiles and throughput per model version.",
    ),
    ("heading", "Education"),
    ("job", "B.S. in Computer Science", "University of California, Davis", "2012 – 2016"),
    (
        "bullet",
        "Coursework: data structures, algorithms, operating systems, distributed "
        "systems, databases, machine learning.",
    ),
    ("heading", "Certifications"),
    ("bullet", "AWS Certified Machine Learning – Specialty (2022)"),
    ("bullet", "AWS Certified Solutions Architect – Associate (2020)"),
    ("bullet", "Certified Kubernetes Application Developer (CKAD) (2021)"),
    ("heading", "Additional Information"),
    (
        "bullet",
        'Speaker at a regional MLOps meetup: "Shipping models safely with canary deployments".',
    ),
    (
        "bullet",
        "Mentor for junior engineers; led internal workshops on Docker, Kubernetes and "
        "writing production-ready Python.",
    ),
    ("bullet", "Languages: English (native), Spanish (fluent)."),
]

SCIENTIST: list[Block] = [
    ("name", "Dr. Amara Nwosu"),
    (
        "contact",
        "Boston, MA  |  amara.nwosu@example.org  |  (555) 018-6620  |  "
        "scholar.example.org/anwosu  |  github.com/anwosu",
    ),
    ("heading", "Research Summary"),
    (
        "para",
        "Machine Learning Research Scientist with a Ph.D. in Statistics and five years of "
        "postdoctoral and industry research experience. My research develops Bayesian methods "
        "and causal inference techniques for reliable machine learning, with a focus on "
        "uncertainty quantification and learning from observational data. Author of 15 "
        "peer-reviewed papers, including first-author papers at NeurIPS, ICML and ACL.",
    ),
    ("heading", "Research Interests"),
    (
        "para",
        "Bayesian deep learning; causal inference and causal representation learning; "
        "probabilistic modeling; variational inference; statistical learning theory; "
        "robustness and calibration of language models.",
    ),
    ("heading", "Education"),
    ("job", "Ph.D. in Statistics", "University of Wisconsin–Madison", "2014 – 2019"),
    (
        "bullet",
        'Dissertation: "Scalable Bayesian inference for causal effect estimation". '
        "Advisor: Prof. R. Whitfield.",
    ),
    (
        "bullet",
        "Graduate coursework: measure-theoretic probability, Bayesian statistics, linear "
        "algebra and matrix analysis, convex optimization, causal inference.",
    ),
    (
        "job",
        "B.Sc. in Mathematics and Statistics (First Class Honours)",
        "University of Toronto",
        "2010 – 2014",
    ),
    ("heading", "Research Experience"),
    ("job", "Research Scientist", "Meridian AI Research, Boston, MA", "Sep 2021 – Present"),
    (
        "bullet",
        "Lead a research program on uncertainty estimation for large language models; "
        "first-author paper at NeurIPS 2023 and ACL 2023.",
    ),
    (
        "bullet",
        "Proposed a Bayesian approach to in-context learning and designed the ablation "
        "studies that isolate the effect of prior choice.",
    ),
    (
        "bullet",
        "Formulated hypotheses, designed experiments and wrote statistical analysis plans "
        "for collaborations with two university labs.",
    ),
    ("bullet", "Mentor three Ph.D. research interns; two internships led to ICML papers."),
    (
        "job",
        "Postdoctoral Research Fellow",
        "Department of Biostatistics, Charles River University",
        "Aug 2019 – Aug 2021",
    ),
    (
        "bullet",
        "Developed doubly robust estimators for heterogeneous treatment effects with "
        "Gaussian process priors; first-author paper at ICML 2021.",
    ),
    (
        "bullet",
        "Wrote a literature review on causal inference with machine learning for "
        "observational health data, published in Statistical Science.",
    ),
    (
        "bullet",
        "Released open-source R and Python packages for Bayesian causal inference, "
        "with documentation and reproducible examples.",
    ),
    ("job", "Graduate Research Assistant", "University of Wisconsin–Madison", "2015 – 2019"),
    (
        "bullet",
        "Derived variational inference algorithms for hierarchical models and proved "
        "convergence guarantees using tools from linear algebra and optimization.",
    ),
    (
        "bullet",
        "Implemented MCMC samplers in R, MATLAB and Stan; ran simulation studies on "
        "high-performance computing clusters.",
    ),
    ("heading", "Selected Publications"),
    (
        "bullet",
        "A. Nwosu, K. Lindberg, S. Ahmed. Calibrated uncertainty for in-context learning "
        "via Bayesian model averaging. NeurIPS 2023. (first author)",
    ),
    (
        "bullet",
        "A. Nwosu, J. Park. When do language models know what they do not know? A causal "
        "analysis of confidence. ACL 2023. (first author)",
    ),
    (
        "bullet",
        "T. Moreau, A. Nwosu, K. Lindberg. Identifiable causal representations from "
        "multiple environments. ICML 2022.",
    ),
    (
        "bullet",
        "A. Nwosu, R. Whitfield. Doubly robust estimation with Gaussian process priors. "
        "ICML 2021. (first author)",
    ),
    (
        "bullet",
        "A. Nwosu, R. Whitfield. Machine learning for causal inference from observational "
        "health data: a review. Statistical Science, 2021.",
    ),
    (
        "bullet",
        "L. Chen, A. Nwosu. Variational inference for sparse hierarchical models. AISTATS 2020.",
    ),
    (
        "bullet",
        "A. Nwosu, R. Whitfield. Scalable Bayesian additive regression trees for causal "
        "effect estimation. Journal of the American Statistical Association, 2019.",
    ),
    ("heading", "Awards and Grants"),
    ("bullet", "Outstanding Paper Award, NeurIPS Workshop on Causal Machine Learning, 2022."),
    ("bullet", "Postdoctoral Fellowship in Data Science, Charles River University, 2019 – 2021."),
    ("bullet", "Best Dissertation Award, Department of Statistics, UW–Madison, 2019."),
    ("heading", "Teaching and Mentoring"),
    ("bullet", "Guest lecturer, graduate course on Bayesian data analysis (2020, 2021)."),
    ("bullet", "Teaching assistant for statistical inference and linear algebra (2015 – 2018)."),
    ("heading", "Professional Service"),
    (
        "bullet",
        "Peer review: NeurIPS, ICML, ICLR, ACL, AISTATS, JMLR, Journal of the American "
        "Statistical Association; Area Chair for NeurIPS 2024.",
    ),
    ("bullet", "Co-organizer of the ICML 2023 workshop on uncertainty in foundation models."),
    ("heading", "Invited Talks"),
    (
        "bullet",
        '"Bayesian views of in-context learning", Statistics Seminar, Lakeshore University, 2024.',
    ),
    ("bullet", '"Causal inference meets deep learning", Joint Statistical Meetings, 2022.'),
    ("heading", "Skills"),
    ("line", "Programming: Python, R, MATLAB, Stan, Julia, SQL, LaTeX"),
    (
        "line",
        "Machine learning: PyTorch, JAX, NumPyro, PyMC, scikit-learn, Hugging Face Transformers",
    ),
    (
        "line",
        "Methods: Bayesian statistics, causal inference, variational inference, MCMC, "
        "experimental design, hypothesis testing, linear algebra, optimization",
    ),
]


# --------------------------------------------------------------------------- PDF rendering


class ResumePdf:
    """Flow resume blocks onto letter pages, one column, with automatic page breaks."""

    def __init__(self, path: Path, title: str, author: str) -> None:
        if BULLET_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(BULLET_FONT, BULLET_FONT_FILE))
        self.c = Canvas(str(path), pagesize=letter, invariant=1, pageCompression=1)
        self.c.setTitle(title)
        self.c.setAuthor(author)
        self.c.setCreator("resume-role examples/make_examples.py")
        self.width = PAGE_W - 2 * MARGIN_X
        self.y = PAGE_H - MARGIN_Y
        self.pages = 1

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` points still fit on this one."""
        if self.y - height < MARGIN_Y:
            self.c.showPage()
            self.pages += 1
            self.y = PAGE_H - MARGIN_Y

    def text(self, x: float, s: str, font: str = BODY_FONT, size: float = BODY_SIZE) -> None:
        """Draw one string on the current baseline."""
        self.c.setFont(font, size)
        self.c.drawString(x, self.y, s)

    def wrap(self, s: str, font: str, width: float) -> list[str]:
        """Split ``s`` into lines that fit ``width``."""
        return simpleSplit(s, font, BODY_SIZE, width)

    def block(self, b: Block) -> None:
        """Render one block."""
        kind = b[0]
        if kind == "name":
            self.text(MARGIN_X, b[1], BOLD_FONT, 22)
            self.y -= 18
        elif kind == "contact":
            self.text(MARGIN_X, b[1], BODY_FONT, 9)
            self.y -= 12
        elif kind == "heading":
            self.ensure(LEADING * 4)  # keep a heading with what follows it
            self.y -= 10
            self.text(MARGIN_X, b[1].upper(), BOLD_FONT, 11.5)
            self.c.setLineWidth(0.6)
            self.c.line(MARGIN_X, self.y - 4, MARGIN_X + self.width, self.y - 4)
            self.y -= LEADING + 4
        elif kind in ("para", "line"):
            for ln in self.wrap(b[1], BODY_FONT, self.width):
                self.ensure(LEADING)
                self.text(MARGIN_X, ln)
                self.y -= LEADING
        elif kind == "job":
            _, title, org, dates = b
            self.ensure(LEADING * 3)
            self.y -= 3
            self.text(MARGIN_X, title, BOLD_FONT)
            self.c.setFont(BODY_FONT, BODY_SIZE)
            self.c.drawRightString(MARGIN_X + self.width, self.y, dates)
            self.y -= LEADING
            self.text(MARGIN_X, org, ITALIC_FONT)
            self.y -= LEADING
        elif kind == "bullet":
            indent = 14.0
            lines = self.wrap(b[1], BODY_FONT, self.width - indent)
            self.ensure(LEADING * len(lines))  # do not split a bullet across pages
            for i, ln in enumerate(lines):
                if i == 0:
                    self.text(MARGIN_X + 3, "\u2022", BULLET_FONT)
                self.text(MARGIN_X + indent, ln)
                self.y -= LEADING
        else:
            raise ValueError(f"unknown block kind {kind!r}")

    def save(self) -> int:
        """Write the PDF and return the number of pages."""
        self.c.save()
        return self.pages


def write_pdf(blocks: list[Block], path: Path, title: str) -> int:
    """Render ``blocks`` to ``path``; return the page count."""
    pdf = ResumePdf(path, title, blocks[0][1])
    for b in blocks:
        pdf.block(b)
    return pdf.save()


# --------------------------------------------------------------------------- text rendering


def to_text(blocks: list[Block]) -> str:
    """Return the same resume content as plain text."""
    out: list[str] = []
    for b in blocks:
        kind = b[0]
        if kind == "heading":
            out += ["", b[1].upper()]
        elif kind == "job":
            _, title, org, dates = b
            out += [f"{title} | {dates}", org]
        elif kind == "bullet":
            out.append(f"- {b[1]}")
        else:
            out.append(b[1])
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- main


def main() -> None:
    """Write both example resumes (PDF and plain text)."""
    for stem, blocks, title in (
        ("engineer_resume", ENGINEER, "Daniel Reyes - Machine Learning Engineer - Resume"),
        (
            "scientist_resume",
            SCIENTIST,
            "Amara Nwosu - Machine Learning Research Scientist - Resume",
        ),
    ):
        pdf_path = HERE / f"{stem}.pdf"
        pages = write_pdf(blocks, pdf_path, title)
        if pages != 2:
            raise RuntimeError(f"{pdf_path.name} has {pages} pages; expected 2")
        print(f"wrote {pdf_path.name} ({pdf_path.stat().st_size} bytes, {pages} pages)")
        txt_path = HERE / f"{stem}.txt"
        txt_path.write_text(to_text(blocks), encoding="utf-8", newline="\n")
        print(f"wrote {txt_path.name} ({txt_path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
