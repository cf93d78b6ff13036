fn main() {
    println!("racesim");
}
