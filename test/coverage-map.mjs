// Every test file counts toward the coverage of all of src/.
export default () => ['src/**/*.ts']
