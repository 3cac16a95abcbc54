//! Clap in Vietnamese: the help's headings, usage lines, defaults and
//! possible values, the help and version flags, and a message of our own
//! for each kind of usage error clap reports.

use clap::builder::PossibleValue;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};
use std::ffi::OsString;

/// The heading of positional arguments.
const ARGUMENTS: &str = "Đối số";
/// The heading of flags and options.
const OPTIONS: &str = "Tùy chọn";
/// The help layout: clap's default with its "Usage:" heading translated.
const TEMPLATE: &str = "{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}";

/// `command` (the derived one) with every text a user reads in Vietnamese.
pub fn localize(command: Command) -> Command {
    let command = command.disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("In số phiên bản")
            .help_heading(OPTIONS),
    );
    usages(texts(command))
}

/// Headings, help flag, defaults and values of `command` and its
/// subcommands.
fn texts(command: Command) -> Command {
    command
        .help_template(TEMPLATE)
        .subcommand_help_heading("Lệnh")
        .subcommand_value_name("LỆNH")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .mut_args(localize_arg)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("In hướng dẫn")
                .help_heading(OPTIONS),
        )
        .mut_subcommands(texts)
}

/// One argument: its heading, and its default and possible values written
/// in its help.
fn localize_arg(arg: Arg) -> Arg {
    let heading = if arg.is_positional() {
        ARGUMENTS
    } else {
        OPTIONS
    };
    let arg = if arg.get_help_heading().is_none() {
        arg.help_heading(heading)
    } else {
        arg
    };
    if !arg.get_action().takes_values() {
        return arg;
    }
    let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
    let mut short = help.clone();
    let mut long: Option<String> = None;
    let values: Vec<PossibleValue> = if arg.is_hide_possible_values_set() {
        Vec::new()
    } else {
        arg.get_possible_values()
            .into_iter()
            .filter(|v| !v.is_hide_set())
            .collect()
    };
    let defaults: Vec<String> = if arg.is_hide_default_value_set() {
        Vec::new()
    } else {
        arg.get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect()
    };
    if !values.is_empty() {
        let names: Vec<&str> = values.iter().map(PossibleValue::get_name).collect();
        short.push_str(&format!(" [giá trị: {}]", names.join(", ")));
        if values.iter().any(|v| v.get_help().is_some()) {
            let width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
            let mut text = format!("{help}\n\nGiá trị:");
            for v in &values {
                match v.get_help() {
                    Some(h) => text.push_str(&format!(
                        "\n- {:width$} {h}",
                        format!("{}:", v.get_name()),
                        width = width + 1
                    )),
                    None => text.push_str(&format!("\n- {}", v.get_name())),
                }
            }
            long = Some(text);
        }
    }
    if !defaults.is_empty() {
        let default = format!(" [mặc định: {}]", defaults.join(", "));
        short.push_str(&default);
        if let Some(text) = long.as_mut() {
            text.push_str(&format!("\n\n[mặc định: {}]", defaults.join(", ")));
        }
    }
    let arg = if values.is_empty() {
        arg
    } else {
        arg.hide_possible_values(true)
    };
    let arg = if defaults.is_empty() {
        arg
    } else {
        arg.hide_default_value(true)
    };
    let arg = if short != help { arg.help(short) } else { arg };
    match long {
        Some(text) => arg.long_help(text),
        None => arg,
    }
}

/// Each command's usage line, clap's own with `[OPTIONS]` in Vietnamese.
fn usages(mut command: Command) -> Command {
    command.build();
    with_usage(command)
}

fn with_usage(mut command: Command) -> Command {
    if command.get_overridden_usage().is_none() {
        let usage = command.render_usage().to_string();
        let usage = usage
            .strip_prefix("Usage: ")
            .unwrap_or(&usage)
            .replace("[OPTIONS]", "[TÙY_CHỌN]");
        command = command.override_usage(usage);
    }
    command.mut_subcommands(with_usage)
}

/// The message of a clap error (help and version texts as they are), and
/// the exit code: 0 for help and version, 2 for a usage error.
/// `args` are the words of the command line, to find the (sub)command an
/// error belongs to.
pub fn message(err: &clap::Error, root: &Command, args: &[OsString]) -> (String, bool) {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => (err.to_string(), false),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => (err.to_string(), true),
        _ => (usage_error(err, invoked(root, args)), true),
    }
}

/// The deepest subcommand named at the start of `args` (after the
/// program's name, flags skipped).
fn invoked<'a>(root: &'a Command, args: &[OsString]) -> &'a Command {
    let mut command = root;
    for word in args.iter().skip(1).filter_map(|a| a.to_str()) {
        if word.starts_with('-') {
            continue;
        }
        match command.find_subcommand(word) {
            Some(sub) => command = sub,
            None => break,
        }
    }
    command
}

/// A string-valued context of `err`.
fn text(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        ContextValue::StyledStrs(v) => Some(
            v.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A list-valued context of `err`, each item quoted.
fn quoted_list(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::Strings(v) if !v.is_empty() => Some(
            v.iter()
                .map(|s| format!("«{s}»"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ContextValue::String(s) => Some(format!("«{s}»")),
        ContextValue::StyledStrs(v) if !v.is_empty() => Some(
            v.iter()
                .map(|s| format!("«{s}»"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    }
}

fn usage_error(err: &clap::Error, command: &Command) -> String {
    let arg = text(err, ContextKind::InvalidArg).unwrap_or_default();
    let value = text(err, ContextKind::InvalidValue).unwrap_or_default();
    let mut out = match err.kind() {
        ErrorKind::InvalidSubcommand => {
            let sub = text(err, ContextKind::InvalidSubcommand).unwrap_or_default();
            format!("Không có lệnh «{sub}».")
        }
        ErrorKind::UnknownArgument => {
            if arg.starts_with('-') {
                format!("Không có tùy chọn «{arg}» ở lệnh này.")
            } else {
                format!("Thừa đối số «{arg}»: lệnh này không nhận thêm đối số.")
            }
        }
        ErrorKind::InvalidValue if value.is_empty() => {
            format!("«{arg}» cần một giá trị.")
        }
        ErrorKind::InvalidValue => {
            format!("Giá trị «{value}» không hợp lệ cho «{arg}».")
        }
        ErrorKind::ValueValidation => {
            let cause = std::error::Error::source(err)
                .map(|e| format!(": {e}"))
                .unwrap_or_default();
            format!("Giá trị «{value}» không hợp lệ cho «{arg}»{cause}.")
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = quoted_list(err, ContextKind::InvalidArg).unwrap_or_default();
            format!("Thiếu đối số bắt buộc: {missing}.")
        }
        ErrorKind::MissingSubcommand => "Cần một lệnh.".to_string(),
        ErrorKind::ArgumentConflict => match text(err, ContextKind::PriorArg) {
            Some(prior) if prior == arg => format!("«{arg}» chỉ được dùng một lần."),
            Some(_) => {
                let prior = quoted_list(err, ContextKind::PriorArg).unwrap_or_default();
                format!("Không dùng được «{arg}» cùng với {prior}.")
            }
            None => format!("«{arg}» phải dùng riêng, không kèm tùy chọn hay đối số nào khác."),
        },
        ErrorKind::TooManyValues => format!("Quá nhiều giá trị cho «{arg}»: «{value}»."),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("Số giá trị cho «{arg}» không đúng.")
        }
        ErrorKind::NoEquals => format!("«{arg}» cần dấu «=» trước giá trị."),
        ErrorKind::InvalidUtf8 => "Một đối số không phải văn bản UTF-8 hợp lệ.".to_string(),
        _ => "Không hiểu được các đối số dòng lệnh.".to_string(),
    };
    if let Some(valid) = quoted_list(err, ContextKind::ValidValue) {
        out.push_str(&format!("\n  Các giá trị được phép: {valid}."));
    }
    let suggested = quoted_list(err, ContextKind::SuggestedSubcommand)
        .or_else(|| quoted_list(err, ContextKind::SuggestedArg))
        .or_else(|| quoted_list(err, ContextKind::SuggestedValue));
    if let Some(s) = suggested {
        out.push_str(&format!("\n  Có phải ý bạn là {s}?"));
    }
    if err.kind() == ErrorKind::UnknownArgument && arg.starts_with('-') {
        out.push_str(&format!(
            "\n  Nếu «{arg}» là một giá trị (tên tệp…), viết «-- {arg}»."
        ));
    }
    let usage = command.get_overridden_usage().map(ToString::to_string);
    let name = command.get_bin_name().unwrap_or(command.get_name());
    if let Some(u) = usage {
        out.push_str(&format!("\n\nCách dùng: {u}"));
    }
    out.push_str(&format!("\n\nXem thêm: «{name} --help»\n"));
    out
}
