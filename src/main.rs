fn main() -> std::process::ExitCode {
    biobank::cli::main()
}
