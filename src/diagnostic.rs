//! Diagnostics on rule files: one type shared by the parser, the semantic
//! pass and (later) the linter, rendered with a caret under the span.

mod excerpt;

use crate::source::{SourceMap, Span};
use excerpt::Excerpt;
use serde::Serialize;
use std::fmt;

pub(crate) use crate::data::text::{visible, visible_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

/// A problem found in a rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable id, e.g. `E-unknown-name`.
    pub code: &'static str,
    /// One line, lowercase, user input in backticks.
    pub message: String,
    pub span: Span,
    /// Text shown at the caret.
    pub label: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            label: String::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    pub fn note(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(code, span, message)
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_help(self, help: Option<String>) -> Diagnostic {
        match help {
            Some(h) => self.help(h),
            None => self,
        }
    }

    /// Renders the diagnostic as people read it: file, line, column, the
    /// source line with a caret under the span, and the hint.
    pub fn render(&self, sources: &SourceMap) -> String {
        let file = sources.get(self.span.file);
        let (line, col) = file.line_col(self.span.start);
        let shown = Shown {
            diag: self,
            excerpt: Excerpt::new(&file.text, self.span.start as usize, self.span.end as usize),
        };
        let handler =
            miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                .with_width(100)
                .with_links(false);
        let mut out = String::new();
        if handler.render_report(&mut out, &shown).is_err() {
            out = format!("{}: {}", self.code, self.message);
        }
        let path: String = file.path.chars().map(visible).collect();
        format!("{path}:{line}:{col}\n{out}")
    }
}

/// Several diagnostics rendered one after another.
pub fn render_all(diags: &[Diagnostic], sources: &SourceMap) -> String {
    diags
        .iter()
        .map(|d| d.render(sources))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Adapter that lets miette draw a [`Diagnostic`] over an excerpt of its
/// source file.
struct Shown<'a> {
    diag: &'a Diagnostic,
    excerpt: Excerpt,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.diag.severity {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
            Severity::Note => "ghi chú",
        };
        write!(f, "{word}: {}", visible_text(&self.diag.message))
    }
}

impl std::error::Error for Shown<'_> {}

impl miette::Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(visible_text(h)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.excerpt as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let (start, end) = self.excerpt.span;
        let label =
            (!self.diag.label.is_empty()).then(|| visible_text(&self.diag.label).into_owned());
        Some(Box::new(std::iter::once(miette::LabeledSpan::new(
            label,
            start,
            (end - start).max(1),
        ))))
    }
}
