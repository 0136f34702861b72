// URL and URLSearchParams from whatwg-url, the WHATWG URL standard's reference implementation.
export { URL, URLSearchParams } from 'whatwg-url';
