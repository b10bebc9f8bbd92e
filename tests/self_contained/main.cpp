// The program that links every generated header TU (see header.cpp.in). Linking them
// together also catches non-inline definitions in headers (multiple definitions).
int main()
{
    return 0;
}
