// Stands in for optional development-only modules that the bundle never loads.
export default {};
