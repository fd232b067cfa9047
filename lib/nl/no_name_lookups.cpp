// libnl can translate between names and numbers through the C library
// (nl_addr_info, nl_str2ip_proto, nl_ip_proto2str); portmap never asks it to.
// In the statically linked tools glibc's versions of those lookups would load
// NSS modules at run time, which static binaries cannot do reliably (and the
// linker warns about it).  NL_LIBS (Makefile) links libnl with --wrap for the
// three, so these stand-ins answer: no lookup, and libnl falls back to numbers.
#include <netdb.h>

extern "C" {

int __wrap_getaddrinfo(const char*, const char*, const addrinfo*, addrinfo** result) {
    *result = nullptr;
    return EAI_FAIL;
}

protoent* __wrap_getprotobyname(const char*) { return nullptr; }

protoent* __wrap_getprotobynumber(int) { return nullptr; }

}  // extern "C"
