//! The `qs` binary: the only place that touches the real process state
//! (arguments, environment, current directory, standard streams, exit code).

use std::io::IsTerminal;

fn main() {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| qs_cli::context::decode_arg(&a))
        .collect();
    let env = std::env::vars_os()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let cwd = std::env::current_dir().unwrap_or_else(|_| std::path::PathBuf::from("/"));
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let stdout_is_tty = stdout.is_terminal();
    let stderr_is_tty = stderr.is_terminal();
    let mut out = stdout.lock();
    let mut err = stderr.lock();
    let mut input = std::io::stdin().lock();
    let mut ctx = qs_cli::Context {
        args,
        env,
        cwd,
        stdout: &mut out,
        stderr: &mut err,
        stdin: &mut input,
        stdout_is_tty,
        stderr_is_tty,
        install_prefix: std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent()?.parent().map(std::path::Path::to_path_buf)),
    };
    let code = qs_cli::run(&mut ctx);
    std::process::exit(code);
}
