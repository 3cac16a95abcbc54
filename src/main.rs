fn main() -> std::process::ExitCode {
    tdkt::cli::main()
}
