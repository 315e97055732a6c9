// Function names as reports show them: C++ demangled without parameters,
// Rust (both manglings) demangled without its hash, and the hint for
// stripped modules.
#include "symbolize/debug_symbols_hint.h"
#include "symbolize/function_names.h"
#include "symbolize/symbolizer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace contend::analyze {
namespace {

TEST(SymbolNames, CppIsDemangledWithoutParameters) {
  EXPECT_EQ(readable_function_name("_ZN3foo3barEv"), "foo::bar");
  EXPECT_EQ(
      readable_function_name("_ZNSt6thread11_State_implINS_8_InvokerISt5tupleIJZ4mainEUlvE_EEEEE6_M_runEv"),
      "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#1}> > >::_M_run");
  EXPECT_EQ(readable_function_name("plain_c_function"), "plain_c_function");
}

TEST(SymbolNames, FunctionTemplatesLoseTheirReturnType) {
  // std::scoped_lock of two mutexes waits in std::lock, which the demangler
  // prints with its return type: "void std::lock<...>" read as no std:: name.
  EXPECT_EQ(readable_function_name("_ZSt4lockISt5mutexS0_JEEvRT_RT0_DpRT1_"),
            "std::lock<std::mutex, std::mutex>");
  EXPECT_EQ(clean_function_name("std::function<int (char)> const& ns::f<int>"), "ns::f<int>");
  EXPECT_EQ(clean_function_name("unsigned long ns::size<3ul>"), "ns::size<3ul>");
  EXPECT_EQ(clean_function_name("(anonymous namespace)::worker"), "(anonymous namespace)::worker");
  EXPECT_EQ(clean_function_name("ns::Foo::operator new"), "ns::Foo::operator new");
  EXPECT_EQ(clean_function_name("<alloc::vec::Vec<u8> as core::ops::drop::Drop>::drop"),
            "<alloc::vec::Vec<u8> as core::ops::drop::Drop>::drop");
}

TEST(SymbolNames, ALambdaIsNamedByItsClosure) {
  EXPECT_EQ(readable_function_name("_ZZ4mainENKUlvE_clEv"), "main::{lambda()#1}");
  EXPECT_EQ(readable_function_name("_ZZ4mainENKUlvE0_clEv"), "main::{lambda()#2}");
}

TEST(SymbolNames, ShorterFormsForTablesAndContext) {
  std::string run =
      "std::thread::_State_impl<std::thread::_Invoker<std::tuple<main::{lambda()#1}> > >::_M_run";
  EXPECT_EQ(collapse_templates(run, 1), "std::thread::_State_impl<std::thread::_Invoker<…> >::_M_run");
  EXPECT_EQ(collapse_templates(run, 0), "std::thread::_State_impl<…>::_M_run");
  EXPECT_EQ(collapse_templates("std::vector<int>::operator<", 0), "std::vector<…>::operator<");
  EXPECT_EQ(collapse_templates("<std::sys::sync::mutex::futex::Mutex>::lock_contended", 0),
            "<std::sys::sync::mutex::futex::Mutex>::lock_contended");
  EXPECT_EQ(context_name("std::lock_guard<std::mutex>::lock_guard"), "std::lock_guard");
  EXPECT_EQ(context_name("std::lock<std::mutex, std::mutex>"), "std::lock");
  EXPECT_EQ(context_name("<std::sys::sync::mutex::futex::Mutex>::lock_contended"),
            "std::sys::sync::mutex::futex::Mutex::lock_contended");
  EXPECT_EQ(display_width("a ← b…"), 6u);
  EXPECT_EQ(fit_text("short", 10), "short");
  EXPECT_EQ(fit_text(run, 40), "std::thread::_State_impl<…>::_M_run");
  std::string cut = fit_text("first locked in alloc_pool::SlabPool::acquire_slab (slab_pool.cpp:35)", 40);
  EXPECT_EQ(cut, "first locked …re_slab (slab_pool.cpp:35)");
  EXPECT_EQ(display_width(cut), 40u);
}

TEST(SymbolNames, RustV0IsDemangled) {
  EXPECT_EQ(readable_function_name(
                "_RNvMNtNtNtNtCsjrHSEGnQ3l9_3std3sys4sync5mutex5futexNtB2_5Mutex14lock_contended"),
            "<std::sys::sync::mutex::futex::Mutex>::lock_contended");
}

TEST(SymbolNames, RustLegacyLosesItsHash) {
  EXPECT_EQ(readable_function_name("_ZN10rust_mutex4main17h5d52bfb8297a5846E"), "rust_mutex::main");
  EXPECT_EQ(
      readable_function_name("_ZN4core3ptr66drop_in_place$LT$rust_mutex..main..$u7b$$u7b$closure$u7d$$u7d$$"
                             "GT$17h499d6fc2b360dd0cE"),
      "core::ptr::drop_in_place<rust_mutex::main::{{closure}}>");
}

TEST(DebugSymbolsHint, NamesTheOwningPackageFromDpkgLists) {
  auto dir = std::filesystem::temp_directory_path() / "contend-dpkg-test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "zlib1g:amd64.list") << "/.\n/usr/lib/x86_64-linux-gnu/libz.so.1\n";
  std::ofstream(dir / "pigz.list") << "/.\n/usr\n/usr/bin/pigz\n/usr/share/doc/pigz\n";
  std::ofstream(dir / "pigz.md5sums") << "/usr/bin/pigz-not-a-list\n";
  EXPECT_EQ(owning_package("/usr/bin/pigz", dir.string()), "pigz");
  EXPECT_EQ(owning_package("/usr/lib/x86_64-linux-gnu/libz.so.1", dir.string()), "zlib1g");
  EXPECT_EQ(owning_package("/usr/bin/unknown", dir.string()), "");
  EXPECT_EQ(owning_package("/usr/bin/pigz", (dir / "missing").string()), "");
  std::filesystem::remove_all(dir);
}

TEST(DebugSymbolsHint, SaysWhereNamesWouldComeFrom) {
  EXPECT_EQ(
      debug_symbols_hint("/usr/bin/pigz", "ab12cd", "pigz"),
      "pigz: stripped, no symbols or debug information found, so its frames show as pigz+0x...; to name "
      "them, install pigz-dbgsym (Debian's debug archive), put its debug file at "
      "/usr/lib/debug/.build-id/ab/12cd.debug, or set DEBUGINFOD_URLS");
  EXPECT_EQ(
      debug_symbols_hint("/opt/app", "", ""),
      "app: stripped, no symbols or debug information found, so its frames show as app+0x...; to name them, "
      "set DEBUGINFOD_URLS");
}

}  // namespace
}  // namespace contend::analyze
